/**
 * The limits a chat message passes before the agent spends a model call on it.
 */
import { PeerRateLimiter } from '../mesh/rate-limit.ts'

export { PeerRateLimiter } from '../mesh/rate-limit.ts'
export type { RateDecision } from '../mesh/rate-limit.ts'

export interface AnswerLimits {
  /** Messages one author may send in a burst, and seconds per token after it. */
  authorBurst: number
  authorRefillSeconds: number
}

/**
 * Why a message was not answered, and whom to tell. `tell` is the peer the
 * limit is about: the author, or the connection that delivered the flood.
 */
export type Admission =
  | { allowed: true }
  | { allowed: false, reason: 'author' | 'connection' | 'overall', tell?: string, retryAfterSeconds: number }

/**
 * Every limit a chat message passes before it may cost a model call:
 *
 * - per author (the signing key): one person's pace;
 * - per connection (the peer that delivered it): keys cost nothing to make, so a
 *   flood signed by a thousand throwaway keys still arrives over one connection;
 * - overall: the model's own capacity, refilling faster than any one connection
 *   may draw from it, so a single flooding connection cannot use it all.
 */
export class AnswerGate {
  private readonly authors: PeerRateLimiter
  private readonly connections = new PeerRateLimiter(CONNECTION_BURST, CONNECTION_REFILL_SECONDS)
  private readonly overall = new PeerRateLimiter(OVERALL_BURST, OVERALL_REFILL_SECONDS)

  constructor (limits: AnswerLimits) {
    this.authors = new PeerRateLimiter(limits.authorBurst, limits.authorRefillSeconds)
  }

  admit (author: string, connection: string | undefined): Admission {
    const byAuthor = this.authors.take(author)
    if (!byAuthor.allowed) return { allowed: false, reason: 'author', retryAfterSeconds: byAuthor.retryAfterSeconds, ...(byAuthor.notify ? { tell: author } : {}) }
    if (connection != null && connection !== author) {
      const byConnection = this.connections.take(connection)
      if (!byConnection.allowed) return { allowed: false, reason: 'connection', retryAfterSeconds: byConnection.retryAfterSeconds, ...(byConnection.notify ? { tell: connection } : {}) }
    }
    const all = this.overall.take('*')
    if (!all.allowed) return { allowed: false, reason: 'overall', retryAfterSeconds: all.retryAfterSeconds, ...(all.notify ? { tell: author } : {}) }
    return { allowed: true }
  }
}

/** Questions one connection may relay from other authors: a busy relay, not a flood. */
export const CONNECTION_BURST = 6
export const CONNECTION_REFILL_SECONDS = 2
/** Model calls in a burst, and seconds per call after it, whoever asks. */
export const OVERALL_BURST = 20
export const OVERALL_REFILL_SECONDS = 0.2
