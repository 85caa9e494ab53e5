/**
 * Streams one answer to the mesh: the first delta goes out alone, the rest are batched
 * into `reply` chunks on the extension topic (a chunk per token would flood gossip), then the complete
 * text goes out on the chat topic, where every peer sees it.
 */
import type { MessageRef, OutgoingExtensionMessage } from '../mesh/extension.ts'
import type { ExtensionPublisher } from './extension-publisher.ts'

const MAX_DELTA = 4096

export interface ReplyStreamOptions {
  replyId: string
  inReplyTo?: MessageRef
  provider: string
  model: string
  /** Send a chunk once this much text is pending… */
  flushChars?: number
  /** …or this long after the first pending character. */
  flushMs?: number
}

export class ReplyStream {
  private index = 0
  private pending = ''
  private timer?: ReturnType<typeof setTimeout>
  private sending: Promise<void> = Promise.resolve()

  constructor (private readonly extension: ExtensionPublisher, private readonly options: ReplyStreamOptions) {}

  push (delta: string): void {
    this.pending += delta
    // The first words go out at once: time to first token is what a person waits on.
    if (this.index === 0 || this.pending.length >= (this.options.flushChars ?? 48)) this.flush(false)
    else this.timer ??= setTimeout(() => this.flush(false), this.options.flushMs ?? 60)
  }

  /** Sends what is pending and the final chunk; resolves when all chunks were handed to gossipsub. */
  async finish (error?: string): Promise<void> {
    this.flush(true, error)
    await this.sending
  }

  private flush (done: boolean, error?: string): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending === '' && !done) return
    do {
      const delta = this.pending.slice(0, MAX_DELTA)
      this.pending = this.pending.slice(MAX_DELTA)
      const last = this.pending === ''
      this.send({
        type: 'reply',
        replyId: this.options.replyId,
        ...(this.options.inReplyTo != null ? { inReplyTo: this.options.inReplyTo } : {}),
        index: this.index++,
        delta,
        done: done && last,
        provider: this.options.provider,
        model: this.options.model,
        ...(done && last && error != null ? { error: error.slice(0, 200) } : {})
      })
    } while (this.pending !== '')
  }

  private send (chunk: OutgoingExtensionMessage): void {
    // Chain sends so chunks leave in order.
    this.sending = this.sending.then(async () => { await this.extension.send(chunk) })
  }
}
