/**
 * Watches the checker's chat peer for messages from one peer, so a step can
 * wait for "a signed message from the learner's node that says X".
 */
import type { GossipSub, Message, SignedMessage } from '@libp2p/gossipsub'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'

const decoder = new TextDecoder()

export interface ChatMessage {
  text: string
  message: SignedMessage
}

export class ChatListener {
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
  }

  close (): void {
    this.pubsub.removeEventListener('message', this.onMessage)
  }

  /** The first message (already received or still to come) that matches. */
  async waitFor (matches: (message: ChatMessage) => boolean, signal: AbortSignal): Promise<ChatMessage> {
    for (;;) {
      const found = this.received.find(matches)
      if (found != null) return found
      if (signal.aborted) throw new Error('aborted')
      await new Promise<void>((resolve) => {
        const wake = (): void => { this.waiters.delete(wake); signal.removeEventListener('abort', wake); resolve() }
        this.waiters.add(wake)
        signal.addEventListener('abort', wake, { once: true })
      })
    }
  }
}
