/**
 * A token bucket per key (a peer, a connection): a burst is fine, a flood is
 * not. The first refusal since a key was last allowed is flagged `notify`, so a
 * peer earns one polite notice, not one per message.
 */
import HLRU from 'hashlru'

export interface RateDecision {
  allowed: boolean
  /** True for the first refused message since the key was last allowed. */
  notify: boolean
  /** Seconds until the next token. */
  retryAfterSeconds: number
}

interface Bucket { tokens: number, updatedAt: number, notified: boolean }

export class PeerRateLimiter {
  /** Key → bucket; the least recently seen are forgotten rather than grow without bound (hashlru keeps up to twice `maxPeers`). */
  private readonly buckets: ReturnType<typeof HLRU>

  constructor (
    private readonly burst: number,
    private readonly refillSeconds: number,
    private readonly now: () => number = Date.now,
    maxPeers = 10_000
  ) {
    this.buckets = HLRU(maxPeers)
  }

  take (peer: string): RateDecision {
    const now = this.now()
    const bucket: Bucket = this.buckets.get(peer) ?? { tokens: this.burst, updatedAt: now, notified: false }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedAt) / 1000 / this.refillSeconds)
    bucket.updatedAt = now
    this.buckets.set(peer, bucket)

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      bucket.notified = false
      return { allowed: true, notify: false, retryAfterSeconds: 0 }
    }
    const notify = !bucket.notified
    bucket.notified = true
    return { allowed: false, notify, retryAfterSeconds: Math.ceil((1 - bucket.tokens) * this.refillSeconds) }
  }
}

