/**
 * Watches the checker's chat peer for messages from one peer, so a step can
 * wait for "a signed message from the learner's node that says X". It also
 * follows the node into every topic it subscribes to, so that a message sent
 * to the wrong topic still arrives and can be named as a near miss.
 */
import type { GossipSub, Message, SignedMessage } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { observeRejectedMessages } from '../../mesh/gossipsub-internals.ts'
import type { RejectedMessage } from '../../mesh/gossipsub-internals.ts'

const decoder = new TextDecoder()

/** A signed message the checker's chat peer received on any topic, with its text decoded. */
export interface ReceivedMessage {
  text: string
  topic: string
  message: SignedMessage
}

export class ChatListener {
  /** Messages gossipsub dropped before any event fired: how an unsigned (StrictNoSign) publish shows up. */
  readonly rejections: RejectedMessage[] = []
  /** Topics each remote peer said it subscribed to, in order. */
  readonly subscriptions = new Map<string, string[]>()
  private readonly received: ReceivedMessage[] = []
  private readonly waiters = new Set<() => void>()
  private readonly onMessage = (event: CustomEvent<Message>): void => {
    const message = event.detail
    // The checker's gossipsub runs StrictSign: unsigned messages never get here.
    if (message.type !== 'signed') return
    this.received.push({ text: decoder.decode(message.data), topic: message.topic, message })
    for (const wake of this.waiters) wake()
  }

  private readonly onSubscriptions = (event: CustomEvent<{ peerId: PeerId, subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    const peer = event.detail.peerId.toString()
    const topics = this.subscriptions.get(peer) ?? []
    for (const { topic, subscribe } of event.detail.subscriptions) {
      if (!subscribe || topics.includes(topic)) continue
      topics.push(topic)
      if (!this.pubsub.getTopics().includes(topic)) this.pubsub.subscribe(topic)
    }
    this.subscriptions.set(peer, topics)
    for (const wake of this.waiters) wake()
  }

  constructor (private readonly pubsub: GossipSub) {
    pubsub.addEventListener('message', this.onMessage)
    pubsub.addEventListener('subscription-change', this.onSubscriptions)
    // gossipsub has no event for the messages it refuses (see mesh/gossipsub-internals.ts).
    observeRejectedMessages(pubsub, rejection => {
      this.rejections.push(rejection)
      for (const wake of this.waiters) wake()
    })
  }

  close (): void {
    this.pubsub.removeEventListener('message', this.onMessage)
    this.pubsub.removeEventListener('subscription-change', this.onSubscriptions)
  }

  /**
   * The first message (already received or still to come) that matches. Throws
   * `rejected` when the checker refuses a message from `author` instead.
   */
  async waitFor (matches: (message: ReceivedMessage) => boolean, signal: AbortSignal, author?: string, rejected?: (rejection: RejectedMessage) => Error): Promise<ReceivedMessage> {
    return await this.until(() => this.received.find(matches), signal, author, rejected)
  }

  /** Wait until `found` returns something; wakes on every message, rejection and subscription. */
  async until<T> (found: () => T | undefined, signal: AbortSignal, author?: string, rejected?: (rejection: RejectedMessage) => Error): Promise<T> {
    for (;;) {
      const value = found()
      if (value != null) return value
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
