/**
 * The chat size limit, as peers enforce it: UTF-8 bytes of the trimmed text.
 * The composer measures the draft with it and the session refuses with it, so
 * nothing over the limit is ever composed, let alone said to be delivered.
 */
import { MAX_CHAT_BYTES } from '../../../mesh/protocol.ts'

export { MAX_CHAT_BYTES }

const encoder = new TextEncoder()

export function chatBytes (text: string): number {
  return encoder.encode(text.trim()).byteLength
}

export function fitsInChatMessage (text: string): boolean {
  return chatBytes(text) <= MAX_CHAT_BYTES
}
