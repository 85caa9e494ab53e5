/**
 * A token bucket per key (a peer, a connection): a burst is fine, a flood is
 * not. The first refusal since a key was last allowed is flagged `notify`, so a
 * peer earns one polite notice, not one per message.
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

