/**
 * Retry delays after the agent went away: quick at first (a restart takes a
 * second or two), then backing off so a dead agent is not hammered.
 */
export interface BackoffOptions {
  initialMs: number
  maxMs: number
  factor: number
  /** 0..1: how much random spread, so many tabs don't retry in lockstep. */
  jitter: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0.2 }

/** The delay before retry number `attempt` (1-based). */
export function backoffDelay (attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt - 1))
  const spread = base * options.jitter * (random() * 2 - 1)
  return Math.max(0, Math.round(base + spread))
}
