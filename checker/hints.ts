/**
 * Which hint to show: the first failure of a step shows its first hint, each
 * further failure (or `npm run hint`) the next one, and after the last hint the
 * reference solution's path.
 */
import { join } from 'node:path'
import type { LessonMeta } from './lesson-types.ts'
import type { LessonProgress } from './progress.ts'
import { displayPath, lessonDir, solutionDir } from './paths.ts'

export type Hint =
  | { kind: 'hint', stepId: string, level: number, of: number, text: string }
  /** Advice the failure itself carried (e.g. for a compile error), shown before the step's hints. */
  | { kind: 'advice', stepId: string, text: string }
  | { kind: 'solution', stepId: string, path: string, text: string }

/** The hint at a depth (1 = first); past the last one, the solution. */
export function hintAt (lesson: LessonMeta, stepId: string, level: number): Hint | undefined {
  const step = lesson.steps[stepId]
  if (step == null) return undefined
  const file = lesson.files[0]
  const yours = displayPath(join(lessonDir(lesson.id), file))
  const text = step.hints[level - 1]
  if (text != null) return { kind: 'hint', stepId, level, of: step.hints.length, text: text.replaceAll('{file}', yours) }
  const solution = displayPath(join(solutionDir(lesson.id), file))
  return {
    kind: 'solution',
    stepId,
    path: solution,
    // The command on a line of its own and nothing after it, so it copies and pastes as is.
    text: `Still stuck? Compare your file with the reference solution:\n\`git diff --no-index ${yours} ${solution}\``
  }
}

/**
 * After a failed check: as deep as the step's failure count, never shallower than
 * a hint already shown (`npm run hint` may have gone ahead), and remember it.
 */
export function hintAfterFailure (lesson: LessonMeta, stepId: string, entry: LessonProgress): Hint | undefined {
  const level = Math.max(1, entry.failures[stepId] ?? 1, entry.hintsShown[stepId] ?? 0)
  return reveal(lesson, stepId, entry, level)
}

/** `npm run hint`: one deeper than the deepest shown so far for the step that failed last. */
export function nextHint (lesson: LessonMeta, entry: LessonProgress | undefined): Hint | undefined {
  const stepId = entry?.lastFailedStep
  if (entry == null || stepId == null || entry.status === 'passed') return undefined
  return reveal(lesson, stepId, entry, (entry.hintsShown[stepId] ?? 0) + 1)
}

function reveal (lesson: LessonMeta, stepId: string, entry: LessonProgress, level: number): Hint | undefined {
  const depth = Math.min(level, (lesson.steps[stepId]?.hints.length ?? 0) + 1)
  const hint = hintAt(lesson, stepId, depth)
  if (hint != null) entry.hintsShown[stepId] = Math.max(entry.hintsShown[stepId] ?? 0, depth)
  return hint
}
