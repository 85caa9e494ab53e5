/**
 * Watches the checker's chat peer for messages from one peer, so a step can
 * wait for "a signed message from the learner's node that says X".
 */
import type { GossipSub, Message, SignedMessage } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'

const decoder = new TextDecoder()

export interface ChatMessage {
  text: string
  message: SignedMessage
}

/** Why the checker's gossipsub refused a message, and from whom. */
export interface Rejection {
  from: string
  /** gossipsub's ValidateError, e.g. "invalid_seqno" for an unsigned message. */
  why: string
}

type Validate = (source: PeerId, rpc: unknown) => Promise<{ code: string, error?: string, reason?: string }>

export class ChatListener {
  /** Messages gossipsub dropped before any event fired: how an unsigned (StrictNoSign) publish shows up. */
  readonly rejections: Rejection[] = []
  private readonly received: ChatMessage[] = []
  private readonly waiters = new Set<() => void>()
  private readonly onMessage = (event: CustomEvent<Message>): void => {
    const message = event.detail
    // The checker's gossipsub runs StrictSign: unsigned messages never get here.
    if (message.topic !== CHAT_TOPIC || message.type !== 'signed') return
    this.received.push({ text: decoder.decode(message.data), message })
    for (const wake of this.waiters) wake()
  }

  constructor (private readonly pubsub: GossipSub) {
    pubsub.addEventListener('message', this.onMessage)
    this.observeRejections()
  }

  /**
   * gossipsub has no event for messages it rejects, so the checker wraps its own
   * peer's (private) validation step to see them. Should a gossipsub release
   * rename it, this quietly does nothing and the step fails at its time limit.
   */
  private observeRejections (): void {
    const internals = this.pubsub as unknown as { validateReceivedMessage?: Validate }
    const validate = internals.validateReceivedMessage
    if (typeof validate !== 'function') return
    internals.validateReceivedMessage = async (source, rpc) => {
      const result = await validate.call(this.pubsub, source, rpc)
      if (result.code === 'invalid') this.rejections.push({ from: source.toString(), why: result.error ?? result.reason ?? 'invalid' })
      for (const wake of this.waiters) wake()
      return result
    }
  }

  close (): void {
    this.pubsub.removeEventListener('message', this.onMessage)
  }

  /**
   * The first message (already received or still to come) that matches. Throws
   * `rejected` when the checker refuses a message from `author` instead.
   */
  async waitFor (matches: (message: ChatMessage) => boolean, signal: AbortSignal, author?: string, rejected?: (rejection: Rejection) => Error): Promise<ChatMessage> {
    for (;;) {
      const found = this.received.find(matches)
      if (found != null) return found
      const refusal = this.rejections.find(r => r.from === author)
      if (refusal != null && rejected != null) throw rejected(refusal)
      if (signal.aborted) throw new Error('aborted')
      await new Promise<void>((resolve) => {
        const wake = (): void => { this.waiters.delete(wake); signal.removeEventListener('abort', wake); resolve() }
        this.waiters.add(wake)
        signal.addEventListener('abort', wake, { once: true })
      })
    }
  }
}
