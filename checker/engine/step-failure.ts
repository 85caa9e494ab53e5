/**
 * How a check says a step failed: one sentence, plus what was expected and
 * what was seen when that helps the learner compare.
 */
export interface FailureDetails {
  expected?: string
  seen?: string
  /** Advice for this very failure, shown instead of the step's next hint (e.g. for a compile error). */
  hint?: string
}

export class StepFailure extends Error {
  readonly expected?: string
  readonly seen?: string
  readonly hint?: string

  constructor (message: string, details: FailureDetails = {}) {
    super(message)
    this.name = 'StepFailure'
    if (details.expected != null) this.expected = details.expected
    if (details.seen != null) this.seen = details.seen
    if (details.hint != null) this.hint = details.hint
  }
}

export function fail (message: string, details?: FailureDetails): never {
  throw new StepFailure(message, details)
}
