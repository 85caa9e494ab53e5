/**
 * Sends the agent's direct messages without making anyone wait for them. A
 * direct message waits for the peer's acknowledgement (up to the DM timeout);
 * a model slot held meanwhile would let a peer that never acknowledges starve
 * everyone's answers. So answers are handed here and the slot is free at once;
 * each peer gets one message in flight and a short line behind it, and the
 * agent keeps a bounded number in flight overall.
 */
import { shortPeerId } from '../mesh/names.ts'

export const DM_IN_FLIGHT_PER_PEER = 1
export const DM_WAITING_PER_PEER = 2
export const DM_IN_FLIGHT_TOTAL = 16

export class DirectOutbox {
  private readonly waiting = new Map<string, string[]>()
  private readonly inFlight = new Map<string, number>()
  private total = 0
  private stopped = false

  constructor (
    private readonly send: (peer: string, text: string) => Promise<void>,
    private readonly log: (line: string) => void
  ) {}

  /** Queue `text` for `peer`; false when the peer already has its share waiting (the text is dropped). */
  post (peer: string, text: string): boolean {
    if (this.stopped) return false
    const line = this.waiting.get(peer) ?? []
    if (line.length >= DM_WAITING_PER_PEER) return false
    line.push(text)
    this.waiting.set(peer, line)
    this.pump()
    return true
  }

  stop (): void {
    this.stopped = true
    this.waiting.clear()
  }

  private pump (): void {
    for (const [peer, line] of this.waiting) {
      if (this.total >= DM_IN_FLIGHT_TOTAL) return
      if ((this.inFlight.get(peer) ?? 0) >= DM_IN_FLIGHT_PER_PEER) continue
      const text = line.shift()
      if (line.length === 0) this.waiting.delete(peer)
      if (text == null) continue
      this.total++
      this.inFlight.set(peer, (this.inFlight.get(peer) ?? 0) + 1)
      this.send(peer, text)
        .catch(err => { this.log(`could not send a direct message to ${shortPeerId(peer)}: ${(err as Error).message}`) })
        .finally(() => {
          this.total--
          const left = (this.inFlight.get(peer) ?? 1) - 1
          if (left <= 0) this.inFlight.delete(peer)
          else this.inFlight.set(peer, left)
          if (!this.stopped) this.pump()
        })
    }
  }
}
