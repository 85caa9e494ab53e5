/**
 * Watches the checker's chat peer for messages from one peer, so a step can
 * wait for "a signed message from the learner's node that says X". It also
 * follows the node into every topic it subscribes to, so that a message sent
 * to the wrong topic still arrives and can be named as a near miss.
 */
import type { GossipSub, Message, SignedMessage } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'

const decoder = new TextDecoder()

/** A signed message the checker's chat peer received on any topic, with its text decoded. */
export interface ReceivedMessage {
  text: string
  topic: string
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
    this.pubsub.removeEventListener('subscription-change', this.onSubscriptions)
  }

  /**
   * The first message (already received or still to come) that matches. Throws
   * `rejected` when the checker refuses a message from `author` instead.
   */
  async waitFor (matches: (message: ReceivedMessage) => boolean, signal: AbortSignal, author?: string, rejected?: (rejection: Rejection) => Error): Promise<ReceivedMessage> {
    return await this.until(() => this.received.find(matches), signal, author, rejected)
  }

  /** Wait until `found` returns something; wakes on every message, rejection and subscription. */
  async until<T> (found: () => T | undefined, signal: AbortSignal, author?: string, rejected?: (rejection: Rejection) => Error): Promise<T> {
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
