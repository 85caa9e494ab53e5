/**
 * LLMesh's extension messages on LLMESH_TOPIC: JSON objects validated on receipt.
 *
 * Peers that don't know LLMesh never subscribe to this topic and still see the
 * plain chat on the universal-connectivity topic.
 */
import * as v from 'valibot'
import { LLMESH_SCHEMA_VERSION, MAX_EXTENSION_BYTES, PEER_ROLES } from './protocol.ts'
import { TRANSPORT_NAMES } from './transport.ts'

const peerIdText = v.pipe(v.string(), v.minLength(10), v.maxLength(128))
/**
 * Text that other peers print on one line (names, model names): control
 * characters (ANSI escapes, CR, LF, tab), line separators and bidi overrides
 * would let a peer forge lines or reorder text in someone else's output.
 */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u
const oneLine = v.check((text: string) => !UNPRINTABLE.test(text), 'must be printable text on one line')
/** Multi-line text: newlines are fine, other control characters are not. */
const lines = v.check((text: string) => !UNPRINTABLE.test(text.replaceAll('\n', ' ')), 'must be printable text')
const shortText = v.pipe(v.string(), v.maxLength(200), oneLine)
const transport = v.picklist(TRANSPORT_NAMES)

/** Names a chat message: its sender and the gossipsub sequence number (decimal). */
const messageRef = v.object({ from: peerIdText, seq: v.pipe(v.string(), v.regex(/^\d{1,20}$/)) })

/** An agent announcing who it is and what answers for it. */
const presence = v.object({
  v: v.literal(LLMESH_SCHEMA_VERSION),
  type: v.literal('presence'),
  role: v.picklist(PEER_ROLES),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(64), oneLine),
  persona: v.optional(v.pipe(v.string(), v.maxLength(200), lines)),
  provider: v.optional(shortText),
  model: v.optional(shortText),
  version: v.optional(shortText)
})

/**
 * One streamed piece of an agent's reply. `index` counts from 0; the last one has
 * `done: true`. The complete text is then also published on the chat topic.
 */
const replyChunk = v.object({
  v: v.literal(LLMESH_SCHEMA_VERSION),
  type: v.literal('reply'),
  replyId: v.pipe(v.string(), v.minLength(1), v.maxLength(64), oneLine),
  inReplyTo: v.optional(messageRef),
  index: v.pipe(v.number(), v.finite(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  delta: v.pipe(v.string(), v.maxLength(4096)),
  done: v.boolean(),
  provider: shortText,
  model: v.optional(shortText),
  error: v.optional(shortText)
})

const connectionReport = v.object({
  peer: peerIdText,
  transport,
  direction: v.picklist(['inbound', 'outbound']),
  limited: v.boolean(),
  rttMs: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  agentVersion: v.optional(shortText)
})

/** A peer's view of its own connections, so the visualizer can draw the whole mesh. */
const topologyReport = v.object({
  v: v.literal(LLMESH_SCHEMA_VERSION),
  type: v.literal('topology'),
  peer: peerIdText,
  connections: v.pipe(v.array(connectionReport), v.maxLength(500)),
  /** Peers in this node's gossipsub mesh for the chat topic. */
  meshPeers: v.pipe(v.array(peerIdText), v.maxLength(500))
})

/**
 * A peer leaving on purpose (the chat app's *leave*): others drop it from their
 * view at once instead of waiting for its reports to stop. It is about its
 * signed sender and nobody else, so it carries no peer id.
 */
const goodbye = v.object({
  v: v.literal(LLMESH_SCHEMA_VERSION),
  type: v.literal('goodbye')
})

const extensionMessage = v.variant('type', [presence, replyChunk, topologyReport, goodbye])

export type Presence = v.InferOutput<typeof presence>
export type ReplyChunk = v.InferOutput<typeof replyChunk>
export type TopologyReport = v.InferOutput<typeof topologyReport>
export type ConnectionReport = v.InferOutput<typeof connectionReport>
export type MessageRef = v.InferOutput<typeof messageRef>
export type Goodbye = v.InferOutput<typeof goodbye>
export type ExtensionMessage = v.InferOutput<typeof extensionMessage>

/** An extension message as a sender writes it: `encodeExtensionMessage` adds the version. */
export type OutgoingExtensionMessage = WithoutVersion<ExtensionMessage>
type WithoutVersion<T> = T extends unknown ? Omit<T, 'v'> : never

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeExtensionMessage (message: OutgoingExtensionMessage): Uint8Array {
  const bytes = encoder.encode(JSON.stringify({ v: LLMESH_SCHEMA_VERSION, ...message }))
  if (bytes.byteLength > MAX_EXTENSION_BYTES) throw new RangeError(`extension message is ${bytes.byteLength} bytes; the limit is ${MAX_EXTENSION_BYTES}`)
  return bytes
}

/** The message, or undefined when the bytes are not a valid LLMesh extension message. */
export function parseExtensionMessage (data: Uint8Array): ExtensionMessage | undefined {
  if (data.byteLength > MAX_EXTENSION_BYTES) return undefined
  let json: unknown
  try {
    json = JSON.parse(decoder.decode(data))
  } catch {
    return undefined
  }
  const result = v.safeParse(extensionMessage, json)
  return result.success ? result.output : undefined
}
