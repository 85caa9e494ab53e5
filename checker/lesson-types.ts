/**
 * The shape of the one metadata source, `checker/lessons.ts`.
 */
import type { CheckRun } from './engine/check-run.ts'

export interface StepMeta {
  /** Shown in the transcript, unless the check names the step more precisely (e.g. the address it dials). */
  title: string
  /** The step fails when it takes longer than this (multiplied by LLMESH_TIME_SCALE). */
  timeoutMs: number
  /** Deepening hints: the first failure of this step shows the first, the next failure the next… */
  hints: string[]
}

/** A lesson's check: a linear script of `run.step(id, …)` calls, in the order of `steps`. */
export type LessonCheck = (run: CheckRun) => Promise<void>

export interface LessonMeta {
  /** `NN-name`: the folder in `lessons/` and `solutions/`, and the key in the progress file. */
  id: string
  title: string
  /** One line for the lesson list. */
  summary: string
  /** Files the learner edits, relative to the lesson folder. The first is the program the checker runs. */
  files: [string, ...string[]]
  /** Every step the check may report, in transcript order. */
  steps: Record<string, StepMeta>
  /** The step the untouched starter fails: the one this lesson teaches. CI holds the lesson to it. */
  starterFailsAt: string
  /** Loaded only when the lesson is checked, so `npm run lesson` stays fast. */
  check: () => Promise<{ default: LessonCheck }>
}

/** The lesson number is the `NN` of its id. */
export function lessonNumber (lesson: Pick<LessonMeta, 'id'>): number {
  return Number.parseInt(lesson.id.slice(0, 2), 10)
}
