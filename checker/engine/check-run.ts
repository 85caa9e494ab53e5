/**
 * Runs one lesson's check: starts nothing by itself, but gives the check
 * `step()` (time limit, ✓/✗ with timing, stop at the first failure),
 * `startProgram()` (the learner's node, raced against its death in every step)
 * and `defer()` (cleanup that always runs), then tidies everything up.
 */
import { raceSignal } from 'race-signal'
import { lessonNumber } from '../../lessons/catalogue.ts'
import { displayPath } from '../paths.ts'
import type { CheckReporter, CheckResult, StepResult } from './check-result.ts'
import { exitFailure } from './diagnose.ts'
import { prepareLearnerEnv } from './learner-env.ts'
import type { LearnerEnv } from './learner-env.ts'
import { LearnerProgram } from './learner-process.ts'
import { StepFailure } from './step-failure.ts'
import { formatMs, scaled } from './time-limits.ts'

export interface StepScope {
  /** Aborted when the step ends (time limit, program died, check cancelled). */
  readonly signal: AbortSignal
  readonly timeoutMs: number
  /** Name the step more precisely, e.g. with the address being dialed. */
  title: (text: string) => void
  /** A short note shown after ✓. */
  detail: (text: string) => void
  /** The sentence to show if the time limit hits now, e.g. "your node never subscribed". */
  onTimeout: (message: string, details?: { expected?: string, seen?: () => string }) => void
  /**
   * Reword the diagnosis if the program dies during this step, when the step
   * knows what killed it (e.g. a line typed before anyone listened). Return
   * undefined to keep the engine's own sentence.
   */
  onExit: (explain: (diagnosis: string, stderr: string) => string | undefined) => void
}

/** What the engine needs of a step: the rest of its metadata (hints) is for people. */
export interface StepLimits {
  /** Shown in the transcript, unless the check names the step more precisely (e.g. the address it dials). */
  title: string
  /** The step fails when it takes longer than this (multiplied by LLMESH_TIME_SCALE). */
  timeoutMs: number
}

/** A lesson's check: a linear script of `run.step(id, …)` calls, in the order of its steps. */
export type LessonCheck = (run: CheckRun) => Promise<void>

/** What the engine needs of a lesson (checker/lesson-types.ts has the whole shape). */
export interface CheckedLesson {
  id: string
  title: string
  steps: Record<string, StepLimits>
  check: () => Promise<{ default: LessonCheck }>
}

export interface RunCheckOptions {
  lesson: CheckedLesson
  /** Absolute path of the program to run. */
  programFile: string
  reporter?: CheckReporter
  /** Cancels the check (watch mode starts a new one when the learner saves again). */
  signal?: AbortSignal
  /** Called when the learner's program is spawned (tests use it to prove no process outlives the check). */
  onProgram?: (program: LearnerProgram) => void
}

/** Thrown through the check's code after the first failure; never shown. */
class CheckStopped extends Error {}

export class CheckRun {
  readonly lesson: CheckedLesson
  readonly programFile: string
  readonly env: LearnerEnv
  readonly results: StepResult[] = []
  program: LearnerProgram | undefined
  /** Further copies of the program a check started, e.g. to restart one with no key file. */
  readonly companions: LearnerProgram[] = []

  private closed = false
  private readonly onStarted: Array<() => void> = []
  private readonly reporter: CheckReporter
  private readonly cleanups: Array<() => unknown> = []
  private readonly died: Promise<never>
  private rejectDied!: (failure: StepFailure) => void
  private readonly cancel: AbortSignal | undefined
  private readonly onProgram: ((program: LearnerProgram) => void) | undefined

  constructor (options: RunCheckOptions, env: LearnerEnv) {
    this.lesson = options.lesson
    this.programFile = options.programFile
    this.env = env
    this.reporter = options.reporter ?? {}
    this.cancel = options.signal
    this.onProgram = options.onProgram
    this.died = new Promise<never>((_resolve, reject) => { this.rejectDied = reject })
    this.died.catch(() => {}) // observed by the steps; never unhandled
  }

  /** Start the learner's program with the checker's environment (plus `extra`). */
  startProgram (extra: Record<string, string> = {}): LearnerProgram {
    if (this.program != null) throw new Error('the program is already running')
    const program = this.spawn({ ...this.env.vars, ...extra })
    this.program = program
    this.exitOf(program).catch((failure: StepFailure) => { this.rejectDied(failure) })
    for (const started of this.onStarted.splice(0)) started()
    return program
  }

  /**
   * Run `start` right after the main program is spawned (after the start step
   * found its file fit to run): companions boot alongside it, never instead of it.
   */
  whenStarted (start: () => void): void {
    if (this.program != null) start()
    else this.onStarted.push(start)
  }

  /**
   * Start another copy of the program with an environment of the check's own
   * choosing. Unlike the main program, its death fails only the steps that wait
   * for it (race them against `exitOf(companion)`); it is killed with the rest.
   */
  startCompanion (env: Record<string, string>): LearnerProgram {
    const program = this.spawn(env)
    this.companions.push(program)
    return program
  }

  /** Rejects with the diagnosis once the program ends without the checker killing it. */
  exitOf (program: LearnerProgram): Promise<never> {
    const ended = program.exited.then(async (exit) => {
      if (exit.killedByChecker) return await new Promise<never>(() => {})
      throw exitFailure(exit, program.text('stderr'), this.programFile)
    })
    ended.catch(() => {}) // raced by the steps that care; a late death elsewhere is no crash
    return ended
  }

  private spawn (env: Record<string, string>): LearnerProgram {
    // A check that already ended must not leave a late companion behind.
    if (this.closed) throw new CheckStopped()
    const program = new LearnerProgram(this.programFile, env)
    this.onProgram?.(program)
    return program
  }

  /** Runs after the check, last registered first; errors are ignored. */
  defer (cleanup: () => unknown): void {
    this.cleanups.push(cleanup)
  }

  async step<T> (id: string, body: (scope: StepScope) => Promise<T>): Promise<T> {
    const meta = this.lesson.steps[id]
    if (meta == null) throw new Error(`step "${id}" is not in the metadata of lesson ${this.lesson.id}`)
    if (this.cancel?.aborted === true) throw new CheckStopped()

    const limit = scaled(meta.timeoutMs)
    const controller = new AbortController()
    let title = meta.title
    let detail: string | undefined
    let timeoutMessage = `"${meta.title}" did not finish`
    let timeoutDetails: { expected?: string, seen?: () => string } = {}
    let explainExit: ((diagnosis: string, stderr: string) => string | undefined) | undefined
    const scope: StepScope = {
      signal: controller.signal,
      timeoutMs: limit,
      title: (text) => { title = text },
      detail: (text) => { detail = text },
      onTimeout: (message, details = {}) => { timeoutMessage = message; timeoutDetails = details },
      onExit: (explain) => { explainExit = explain }
    }

    this.reporter.stepStarted?.(id, title)
    const started = performance.now()
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const seen = timeoutDetails.seen?.()
        reject(new StepFailure(`${timeoutMessage} (waited ${formatMs(limit)}).`, {
          ...(timeoutDetails.expected != null ? { expected: timeoutDetails.expected } : {}),
          ...(seen != null ? { seen } : {})
        }))
      }, limit)
    })
    try {
      const died = this.died.catch((failure: StepFailure) => {
        const reworded = explainExit?.(failure.message, this.program?.text('stderr') ?? '')
        throw reworded != null ? new StepFailure(reworded, { seen: failure.message }) : failure
      })
      const value = await raceSignal(Promise.race([body(scope), timedOut, died]), this.cancel, { translateError: () => new CheckStopped() })
      this.record({ id, title, status: 'passed', durationMs: performance.now() - started, ...(detail != null ? { detail } : {}) })
      return value
    } catch (err) {
      if (err instanceof CheckStopped) throw err
      const failure = err instanceof StepFailure ? err : new StepFailure(`the checker hit an unexpected error: ${(err as Error).message ?? String(err)}`)
      this.record({
        id,
        title,
        status: 'failed',
        durationMs: performance.now() - started,
        message: failure.message,
        ...(failure.expected != null ? { expected: failure.expected } : {}),
        ...(failure.seen != null ? { seen: failure.seen } : {}),
        ...(failure.hint != null ? { hint: failure.hint } : {})
      })
      throw new CheckStopped()
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  }

  private record (result: StepResult): void {
    this.results.push(result)
    this.reporter.stepFinished?.(result)
  }

  async cleanUp (): Promise<void> {
    this.closed = true
    // The learner's processes first: they are the one thing that must never be left behind.
    await Promise.all([this.program, ...this.companions].map(async program => await program?.kill()))
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup()
      } catch {
        // Cleanup is best effort; the process group is already gone.
      }
    }
    await this.env.dispose()
  }
}

export async function runCheck (options: RunCheckOptions): Promise<CheckResult> {
  const started = performance.now()
  const { default: check } = await options.lesson.check()
  const run = new CheckRun(options, await prepareLearnerEnv())
  try {
    await check(run)
  } catch (err) {
    if (!(err instanceof CheckStopped)) throw err
  } finally {
    await run.cleanUp()
  }

  const results = [...run.results]
  for (const [id, meta] of Object.entries(options.lesson.steps)) {
    if (!results.some(r => r.id === id)) results.push({ id, title: meta.title, status: 'skipped', durationMs: 0 })
  }
  const failed = results.find(r => r.status === 'failed')
  const cancelled = options.signal?.aborted === true
  return {
    lessonId: options.lesson.id,
    lessonNumber: lessonNumber(options.lesson),
    title: options.lesson.title,
    file: displayPath(options.programFile),
    passed: failed == null && !cancelled && results.every(r => r.status === 'passed'),
    durationMs: performance.now() - started,
    steps: results,
    ...(failed != null ? { failedStep: failed.id } : {}),
    output: (run.program?.lines ?? []).slice(-20).map(line => line.text)
  }
}
