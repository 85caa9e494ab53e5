/**
 * The outcome of a check, as the transcript prints it and `--json` emits it.
 */
export type StepStatus = 'passed' | 'failed' | 'skipped'

export interface StepResult {
  id: string
  title: string
  status: StepStatus
  durationMs: number
  /** A short note after ✓, e.g. "3 pings, 0.4 ms". */
  detail?: string
  /** One sentence: why the step failed. */
  message?: string
  expected?: string
  seen?: string
  /** Advice for this very failure, shown instead of the step's next hint. */
  hint?: string
}

export interface CheckResult {
  lessonId: string
  lessonNumber: number
  title: string
  /** The program that was checked, relative to the repository root. */
  file: string
  passed: boolean
  durationMs: number
  steps: StepResult[]
  /** The id of the first failed step. */
  failedStep?: string
  /** The last lines the program printed, for context on failure. */
  output: string[]
}

export interface CheckReporter {
  stepStarted?: (id: string, title: string) => void
  stepFinished?: (result: StepResult) => void
}
