/**
 * One `npm run check`: run a lesson's check, print the transcript as it
 * happens (or JSON at the end), and, for the learner's own file, record the
 * outcome and pick the hint.
 */
import { join } from 'node:path'
import pc from 'picocolors'
import type { CheckResult } from './engine/check-result.ts'
import { runCheck } from './engine/check-run.ts'
import { hintAfterFailure } from './hints.ts'
import type { Hint } from './hints.ts'
import { lessonNumber } from './lesson-types.ts'
import type { LessonMeta } from './lesson-types.ts'
import { nextLesson } from './lesson-lookup.ts'
import { displayPath, lessonDir, solutionDir } from './paths.ts'
import { loadProgress, recordCheck, saveProgress } from './progress.ts'
import { failureBlock, header, hintBlock, outputBlock, stepLine, verdictLine } from './ui/transcript.ts'

export type TargetKind = 'learner' | 'solution' | 'file'

export interface CheckTarget {
  lesson: LessonMeta
  /** Absolute path of the program to run. */
  file: string
  kind: TargetKind
}

export function learnerTarget (lesson: LessonMeta): CheckTarget {
  return { lesson, file: join(lessonDir(lesson.id), lesson.files[0]), kind: 'learner' }
}

export function solutionTarget (lesson: LessonMeta): CheckTarget {
  return { lesson, file: join(solutionDir(lesson.id), lesson.files[0]), kind: 'solution' }
}

export interface SessionOptions {
  json: boolean
  signal?: AbortSignal
}

export interface SessionOutcome {
  result: CheckResult
  hint?: Hint
}

export async function checkTarget (target: CheckTarget, options: SessionOptions): Promise<SessionOutcome> {
  const live = !options.json
  const what = target.kind === 'solution' ? 'checking the reference solution' : 'checking'
  if (live) process.stdout.write(`${header(lessonNumber(target.lesson), target.lesson.title, displayPath(target.file), what)}\n`)

  const result = await runCheck({
    lesson: target.lesson,
    programFile: target.file,
    ...(options.signal != null ? { signal: options.signal } : {}),
    reporter: live
      ? {
          stepFinished: (step) => {
            process.stdout.write(`${stepLine(step)}\n`)
            if (step.status === 'failed') process.stdout.write(`${failureBlock(step)}\n`)
          }
        }
      : {}
  })
  if (options.signal?.aborted === true) return { result }

  // Only the learner's own file counts as progress; solutions and fixtures don't.
  let hint: Hint | undefined
  if (target.kind === 'learner') {
    const { progress } = await loadProgress()
    const entry = recordCheck(progress, target.lesson.id, result)
    const advice = result.steps.find(step => step.id === result.failedStep)?.hint
    if (advice != null && result.failedStep != null) hint = { kind: 'advice', stepId: result.failedStep, text: advice }
    else if (result.failedStep != null) hint = hintAfterFailure(target.lesson, result.failedStep, entry)
    await saveProgress(progress)
  }

  if (live) {
    for (const step of result.steps.filter(s => s.status === 'skipped')) process.stdout.write(`${stepLine(step)}\n`)
    // The program's own words often explain a failure (lesson 2 asks to watch them).
    // (A failed start has already said what the program printed, or that it printed nothing.)
    if (result.failedStep != null && result.failedStep !== 'start') process.stdout.write(outputBlock(result.output))
    if (hint != null) process.stdout.write(hintBlock(hint))
    process.stdout.write(`\n${verdictLine(result)}\n${whatNext(target, result)}\n`)
  }
  return { result, ...(hint != null ? { hint } : {}) }
}

function whatNext (target: CheckTarget, result: CheckResult): string {
  if (target.kind !== 'learner') return ''
  if (!result.passed) {
    return pc.dim(`  edit ${displayPath(target.file)} and run npm run check again · npm run hint for more help\n`)
  }
  const next = nextLesson(target.lesson)
  return next != null
    ? pc.dim(`  next: npm run lesson ${lessonNumber(next)} (${next.title})\n`)
    : pc.dim('  that was the last lesson: your node chats with any universal-connectivity peer. Try it with Alien X: npm start\n')
}
