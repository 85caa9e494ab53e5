/**
 * Publishes the agent's chat text on the universal-connectivity topic.
 *
 * A repeat of the previous text is made to differ (see mesh/repeat.ts). Text
 * over the chat size limit is split.
 */
import { CHAT_TOPIC, MAX_CHAT_BYTES } from '../mesh/protocol.ts'
import { distinctFromPrevious } from '../mesh/repeat.ts'

export interface Publisher {
  publish (topic: string, data: Uint8Array): Promise<{ recipients: Array<{ toString: () => string }> }>
}

const encoder = new TextEncoder()

export class ChatPublisher {
  private lastText?: string

  constructor (private readonly pubsub: Publisher) {}

  /** Publishes `text`; resolves with the peer ids it was sent to. */
  async say (text: string): Promise<string[]> {
    const recipients = new Set<string>()
    for (const part of splitUtf8(text.trim(), MAX_CHAT_BYTES)) {
      const unique = this.avoidRepeat(part)
      const result = await this.pubsub.publish(CHAT_TOPIC, encoder.encode(unique))
      for (const peer of result.recipients) recipients.add(peer.toString())
    }
    return [...recipients]
  }

  private avoidRepeat (text: string): string {
    this.lastText = distinctFromPrevious(text, this.lastText)
    return this.lastText
  }
}

/** Split text into pieces of at most `maxBytes` UTF-8 bytes without cutting a character. */
export function splitUtf8 (text: string, maxBytes: number): string[] {
  // Leave room for a repeat mark.
  const budget = maxBytes - 16
  if (encoder.encode(text).byteLength <= budget) return [text]
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const char of text) {
    const bytes = encoder.encode(char).byteLength
    if (size + bytes > budget) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += char
    size += bytes
  }
  if (current !== '') parts.push(current)
  return parts
}
