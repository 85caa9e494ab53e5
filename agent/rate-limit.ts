/**
 * Token buckets: a burst is fine, a flood is not. The first refusal since a key
 * was last allowed is flagged `notify`, so a peer earns one polite notice, not
 * one per message.
 */
export interface RateDecision {
  allowed: boolean
  /** True for the first refused message since the key was last allowed. */
  notify: boolean
  /** Seconds until the next token. */
  retryAfterSeconds: number
}

interface Bucket { tokens: number, updatedAt: number, notified: boolean }

export class PeerRateLimiter {
  private readonly buckets = new Map<string, Bucket>()

  constructor (
    private readonly burst: number,
    private readonly refillSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxPeers = 10_000
  ) {}

  take (peer: string): RateDecision {
    const now = this.now()
    const bucket = this.buckets.get(peer) ?? { tokens: this.burst, updatedAt: now, notified: false }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedAt) / 1000 / this.refillSeconds)
    bucket.updatedAt = now
    this.remember(peer, bucket)

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      bucket.notified = false
      return { allowed: true, notify: false, retryAfterSeconds: 0 }
    }
    const notify = !bucket.notified
    bucket.notified = true
    return { allowed: false, notify, retryAfterSeconds: Math.ceil((1 - bucket.tokens) * this.refillSeconds) }
  }

  private remember (peer: string, bucket: Bucket): void {
    this.buckets.delete(peer)
    this.buckets.set(peer, bucket)
    // Forget the least recently seen peer rather than grow without bound.
    if (this.buckets.size > this.maxPeers) this.buckets.delete(this.buckets.keys().next().value as string)
  }
}

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
