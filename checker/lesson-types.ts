/**
 * The shape of the workshop's metadata, `checker/lessons.ts`: each catalogue
 * entry (lessons/catalogue.ts) plus the steps, hints and check that judge it.
 */
import type { CatalogueEntry } from '../lessons/catalogue.ts'
import type { LessonCheck, StepLimits } from './engine/check-run.ts'

export { lessonNumber } from '../lessons/catalogue.ts'

export interface StepMeta extends StepLimits {
  /**
   * Deepening hints: the first failure of this step shows the first, the next
   * failure the next… Markdown-ish: `code` spans, and fenced ``` blocks for code
   * to copy. `{file}` stands for the program being checked.
   */
  hints: string[]
}

export interface LessonMeta extends CatalogueEntry {
  /** Every step the check may report, in transcript order. */
  steps: Record<string, StepMeta>
  /** The step the untouched starter fails: the one this lesson teaches. CI holds the lesson to it. */
  starterFailsAt: string
  /** Loaded only when the lesson is checked, so `npm run lesson` stays fast. */
  check: () => Promise<{ default: LessonCheck }>
}
