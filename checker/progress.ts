/**
 * The learner's progress: one readable JSON file, `.llmesh/progress.json`
 * (or `$LLMESH_STATE_DIR/progress.json`), keyed by lesson id.
 *
 *   {
 *     "current": "02-secure-channel-and-muxing",
 *     "lessons": {
 *       "01-identity-and-transports": {
 *         "status": "passed", "checks": 3, "lastCheckedAt": "…", "passedAt": "…",
 *         "failures": {}, "hintsShown": {}
 *       },
 *       "02-secure-channel-and-muxing": {
 *         "status": "failed", "checks": 2, "lastFailedStep": "noise",
 *         "failures": { "noise": 2 }, "hintsShown": { "noise": 2 }
 *       }
 *     }
 *   }
 *
 * `failures` counts failed checks per step since the lesson last passed: it is
 * what makes hints deepen.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as v from 'valibot'
import { stateDir } from './paths.ts'

const LessonProgressSchema = v.object({
  status: v.picklist(['passed', 'failed']),
  checks: v.number(),
  lastCheckedAt: v.optional(v.string()),
  passedAt: v.optional(v.string()),
  lastFailedStep: v.optional(v.string()),
  failures: v.optional(v.record(v.string(), v.number()), {}),
  hintsShown: v.optional(v.record(v.string(), v.number()), {})
})

const ProgressSchema = v.object({
  current: v.optional(v.string()),
  lessons: v.optional(v.record(v.string(), LessonProgressSchema), {})
})

export type LessonProgress = v.InferOutput<typeof LessonProgressSchema>
export type Progress = v.InferOutput<typeof ProgressSchema>

export function progressFile (): string {
  return join(stateDir(), 'progress.json')
}

export interface LoadedProgress {
  progress: Progress
  /** Set when the file existed but could not be read; it was set aside. */
  warning?: string
}

export async function loadProgress (): Promise<LoadedProgress> {
  const file = progressFile()
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() }
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const result = v.safeParse(ProgressSchema, parsed)
  if (result.success) return { progress: result.output }
  // A hand edit went wrong: keep the file for the learner, start afresh.
  const aside = `${file}.broken-${Date.now()}`
  await rename(file, aside)
  return { progress: emptyProgress(), warning: `${file} was not valid progress; it was moved to ${aside}.` }
}

export async function saveProgress (progress: Progress): Promise<void> {
  const file = progressFile()
  await mkdir(stateDir(), { recursive: true })
  // Write then rename: an interrupted write never leaves half a file behind.
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(progress, null, 2)}\n`)
  await rename(temporary, file)
}

export function emptyProgress (): Progress {
  return { lessons: {} }
}

/** Fold one check's outcome into the progress. */
export function recordCheck (progress: Progress, lessonId: string, outcome: { passed: boolean, failedStep?: string }, now = new Date()): LessonProgress {
  const previous = progress.lessons[lessonId]
  const entry: LessonProgress = {
    status: outcome.passed ? 'passed' : 'failed',
    checks: (previous?.checks ?? 0) + 1,
    lastCheckedAt: now.toISOString(),
    failures: { ...previous?.failures },
    hintsShown: { ...previous?.hintsShown }
  }
  const passedAt = outcome.passed ? now.toISOString() : previous?.passedAt
  if (passedAt != null) entry.passedAt = passedAt
  if (outcome.passed) {
    // A fresh start for hints, should the lesson ever break again.
    entry.failures = {}
    entry.hintsShown = {}
  } else if (outcome.failedStep != null) {
    entry.lastFailedStep = outcome.failedStep
    entry.failures[outcome.failedStep] = (entry.failures[outcome.failedStep] ?? 0) + 1
  }
  progress.lessons[lessonId] = entry
  return entry
}

/** Forget a lesson's checks and hints (used by `--reset`). */
export function forgetLesson (progress: Progress, lessonId: string): void {
  const { [lessonId]: _forgotten, ...rest } = progress.lessons
  progress.lessons = rest
}
