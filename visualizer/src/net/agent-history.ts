/**
 * The agent's recent chat, over `/llmesh/history/1.0.0` (mesh/history.ts), for
 * two jobs:
 *
 * - catching up: after every join or rejoin, what was said while we were away
 *   fills the gap (the store skips what it holds, by author and sequence number);
 * - knowing whether the agent hears us: each message we publish should show up
 *   in its history. Gossip gives no receipts, and an agent whose peer score
 *   graylisted us drops everything we send without a word while the page says
 *   MESH SYNCED. A message still missing after `confirmWithinMs` makes the page
 *   say so; one that is there says the agent has it.
 *
 * An empty answer proves nothing (an agent may refuse to answer, or have heard
 * nobody yet), so only a history that lists others' messages but not ours counts
 * as "not heard".
 */
import type { SignedMessage } from '@libp2p/gossipsub'
import { decodeChatText } from '../../../mesh/gossip.ts'
import type { MeshStore } from '../store/index.ts'
import type { ReceivedChat } from '../store/chat-actions.ts'

export interface AgentHistoryOptions {
  /** Ask the agent for its recent chat (oldest first, signatures verified). */
  fetch: () => Promise<SignedMessage[]>
  /** A message of ours not in the agent's history after this long was not heard. */
  confirmWithinMs?: number
  /** The first look, and the pause between looks after it. */
  firstCheckMs?: number
  nextCheckMs?: number
}

export const CONFIRM_WITHIN_MS = 10_000
/** Past its deadline, a message waits this long more for a history answer at all (a loaded agent may time out). */
const GIVE_UP_AFTER_MS = 60_000

export class AgentHistory {
  /** Our published messages not yet seen in the agent's history: sequence number → message id and deadline. */
  private readonly waiting = new Map<string, { id: string, deadline: number }>()
  private timer?: ReturnType<typeof setTimeout>
  private checking = false
  private stopped = false

  constructor (private readonly store: MeshStore, private readonly options: AgentHistoryOptions) {}

  /** Fill the gap since we were last here; `joinedAt` is when this join began. */
  async catchUp (joinedAt: number): Promise<number> {
    const history = await this.options.fetch()
    if (this.stopped) return 0
    this.confirm(history)
    const chat = history.flatMap((m): ReceivedChat[] => {
      const text = decodeChatText(m.data)
      return text != null ? [{ from: m.from.toString(), seq: m.sequenceNumber.toString(), text, at: joinedAt }] : []
    })
    return this.store.chat.caughtUp(chat, joinedAt)
  }

  /** We published message `id` as sequence number `seq`: watch for it in the agent's history. */
  track (id: string, seq: string, now = Date.now()): void {
    this.waiting.set(seq, { id, deadline: now + (this.options.confirmWithinMs ?? CONFIRM_WITHIN_MS) })
    this.schedule(this.options.firstCheckMs ?? 1500)
  }

  stop (): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.waiting.clear()
  }

  private schedule (delayMs: number): void {
    if (this.timer != null || this.stopped) return
    this.timer = setTimeout(() => { this.timer = undefined; void this.check() }, delayMs)
  }

  private async check (): Promise<void> {
    if (this.checking || this.waiting.size === 0) return
    this.checking = true
    try {
      const history = await this.options.fetch().catch(() => undefined)
      if (this.stopped) return
      if (history != null) this.confirm(history)
      const now = Date.now()
      const conclusive = history != null && history.some(m => m.from.toString() !== this.store.state.selfId)
      for (const [seq, { id, deadline }] of this.waiting) {
        if (now < deadline) continue
        // No answer at all: ask again later rather than conclude anything, up to a point.
        if (history == null && now < deadline + GIVE_UP_AFTER_MS) continue
        this.waiting.delete(seq)
        if (!conclusive) continue
        this.store.chat.agentReceipt(id, false)
        this.store.connection.agentHearing('no')
      }
    } finally {
      this.checking = false
    }
    if (this.waiting.size > 0) {
      const next = Math.min(...[...this.waiting.values()].map(w => w.deadline)) - Date.now()
      this.schedule(Math.max(0, Math.min(next, this.options.nextCheckMs ?? 3000)))
    }
  }

  /** Every message of ours in this history reached the agent. */
  private confirm (history: SignedMessage[]): void {
    const self = this.store.state.selfId
    let heard = false
    for (const m of history) {
      if (m.from.toString() !== self) continue
      const seq = m.sequenceNumber.toString()
      const own = this.store.state.messages.find(msg => msg.own && msg.seq === seq)
      if (own != null) this.store.chat.agentReceipt(own.id, true)
      if (this.waiting.delete(seq)) heard = true
    }
    if (heard) this.store.connection.agentHearing('yes')
  }
}
