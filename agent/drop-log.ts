/**
 * Logs dropped messages as a summary, not a line each: a flood of ten thousand
 * messages is one line when it starts and one line per interval while it lasts.
 */
import { shortPeerId } from '../mesh/names.ts'

const INTERVAL_MS = 10_000
const TOP_PEERS = 3
/** Peers counted per interval; beyond this a flood of throwaway keys is one "other" entry. */
const MAX_COUNTED = 1000

export class DropLog {
  private counts = new Map<string, number>()
  private total = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor (private readonly log: (line: string) => void, private readonly intervalMs = INTERVAL_MS) {}

  /** One message from `peer` was dropped because of `reason` (e.g. "rate limit"). */
  drop (peer: string, reason: string): void {
    if (this.timer == null) {
      // The first drop of a quiet period is shown at once; the rest wait for the summary.
      this.log(`dropping messages: ${shortPeerId(peer)} (${reason}); while it lasts, a summary every ${Math.round(this.intervalMs / 1000)} s`)
      this.schedule()
      return
    }
    const key = `${reason}\u0000${peer}`
    if (this.counts.has(key) || this.counts.size < MAX_COUNTED) this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    this.total++
  }

  stop (): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule (): void {
    this.timer = setTimeout(() => { this.flush() }, this.intervalMs)
    this.timer.unref?.()
  }

  private flush (): void {
    this.timer = undefined
    // A quiet interval ends the summaries; the next drop is shown at once again.
    if (this.total === 0) return
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, TOP_PEERS)
      .map(([key, n]) => { const [reason, peer] = key.split('\u0000') as [string, string]; return `${n} from ${shortPeerId(peer)} (${reason})` })
    const senders = this.counts.size >= MAX_COUNTED ? `over ${MAX_COUNTED}` : `${this.counts.size}`
    this.log(`dropped ${this.total} messages in the last ${Math.round(this.intervalMs / 1000)} s from ${senders} senders: ${top.join(', ')}`)
    this.counts = new Map()
    this.total = 0
    this.schedule()
  }
}
