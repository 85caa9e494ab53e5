/**
 * Catching up on the chat, over HISTORY_PROTOCOL (`/llmesh/history/1.0.0`).
 *
 * Gossip only reaches peers that are there when a message is published, so a
 * page that reconnects has a gap. A peer that stays (the agent) keeps the recent
 * chat and hands it out on request:
 *
 * - request: one varint-length-prefixed gossipsub `RPC` frame whose
 *   `subscriptions` name the topics wanted (only the chat topic is served);
 * - response: one such frame whose `messages` are the signed messages exactly as
 *   the server received them, oldest first.
 *
 * Reusing gossipsub's own frame means no new schema, and a client verifies every
 * signature itself: a server can leave messages out, but never forge or alter one.
 * Clients drop what they already have by `messageKey` (author + sequence number).
 */
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { RPC } from '@libp2p/gossipsub/message'
import type { SignedMessage } from '@libp2p/gossipsub'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import type { Libp2p, PeerId, PublicKey } from '@libp2p/interface'
import * as Digest from 'multiformats/hashes/digest'
import { CHAT_TOPIC, HISTORY_PROTOCOL, MAX_CHAT_BYTES } from './protocol.ts'

/** Messages a server keeps, and so the most a response carries. */
export const HISTORY_LIMIT = 100
/** A response never exceeds this: HISTORY_LIMIT full-size messages plus their envelopes. */
const MAX_RESPONSE_BYTES = HISTORY_LIMIT * (MAX_CHAT_BYTES + 512)
const REQUEST_TIMEOUT_MS = 5_000

/** Where a message is the same message for everyone: its author and sequence number. */
export function messageKey (message: Pick<SignedMessage, 'from' | 'sequenceNumber'>): string {
  return `${message.from.toString()}/${message.sequenceNumber.toString()}`
}

/** The message as gossipsub carried it on the wire, signature included. */
export function toRpcMessage (message: SignedMessage): RPC.Message {
  const seqno = new Uint8Array(8)
  new DataView(seqno.buffer).setBigUint64(0, message.sequenceNumber, false)
  return {
    from: message.from.toMultihash().bytes,
    data: message.data,
    seqno,
    topic: message.topic,
    signature: message.signature,
    key: publicKeyToProtobuf(message.key)
  }
}

const SIGN_PREFIX = new TextEncoder().encode('libp2p-pubsub:')

/**
 * The message, when its signature is valid for its author; undefined otherwise.
 * The same checks gossipsub makes under StrictSign.
 */
export async function verifyRpcMessage (raw: RPC.Message): Promise<SignedMessage | undefined> {
  if (raw.from == null || raw.seqno?.byteLength !== 8 || raw.signature == null) return undefined
  try {
    const from = peerIdFromMultihash(Digest.decode(raw.from))
    let key: PublicKey | undefined
    if (raw.key != null) {
      key = publicKeyFromProtobuf(raw.key)
      if (!from.equals(key.toMultihash().bytes)) return undefined
    } else {
      key = from.publicKey
    }
    if (key == null) return undefined
    const signed = RPC.Message.encode({ from: raw.from, data: raw.data, seqno: raw.seqno, topic: raw.topic })
    const payload = new Uint8Array(SIGN_PREFIX.byteLength + signed.byteLength)
    payload.set(SIGN_PREFIX, 0)
    payload.set(signed, SIGN_PREFIX.byteLength)
    if (!(await key.verify(payload, raw.signature))) return undefined
    return {
      type: 'signed',
      from,
      topic: raw.topic,
      data: raw.data ?? new Uint8Array(0),
      sequenceNumber: new DataView(raw.seqno.buffer, raw.seqno.byteOffset, 8).getBigUint64(0, false),
      signature: raw.signature,
      key
    }
  } catch {
    return undefined
  }
}

/** The last HISTORY_LIMIT chat messages, kept as they arrived (bounded, in memory). */
export class RecentChat {
  private readonly messages: RPC.Message[] = []
  private readonly keys = new Set<string>()

  constructor (private readonly limit = HISTORY_LIMIT) {}

  add (message: SignedMessage): void {
    if (message.topic !== CHAT_TOPIC || message.data.byteLength > MAX_CHAT_BYTES) return
    const key = messageKey(message)
    if (this.keys.has(key)) return
    this.keys.add(key)
    this.messages.push(toRpcMessage(message))
    while (this.messages.length > this.limit) {
      const dropped = this.messages.shift()
      if (dropped?.from != null && dropped.seqno != null) this.keys.delete(rawKey(dropped))
    }
  }

  list (): RPC.Message[] {
    return [...this.messages]
  }

  get size (): number {
    return this.messages.length
  }
}

function rawKey (raw: RPC.Message): string {
  const from = peerIdFromMultihash(Digest.decode(raw.from!))
  const seqno = new DataView(raw.seqno!.buffer, raw.seqno!.byteOffset, 8).getBigUint64(0, false)
  return `${from.toString()}/${seqno.toString()}`
}

export interface ServeHistoryOptions {
  /** Streams served at once, across all peers. */
  maxInboundStreams?: number
  /** Whether `peer` may ask now (e.g. a rate limit); refused peers get an empty answer. */
  allow?: (peer: PeerId) => boolean
}

/** Answer history requests from `recent`. */
export async function serveHistory (node: Libp2p, recent: RecentChat, options: ServeHistoryOptions = {}): Promise<void> {
  await node.handle(HISTORY_PROTOCOL, async (stream, connection) => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    try {
      const pb = pbStream(stream, { maxDataLength: 1024 })
      const request = await pb.read(RPC, { signal })
      const wantsChat = request.subscriptions.some(s => s.topic === CHAT_TOPIC && s.subscribe !== false)
      const allowed = options.allow?.(connection.remotePeer) ?? true
      await pb.write({ subscriptions: [], messages: wantsChat && allowed ? recent.list() : [] }, RPC, { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    }
  }, { runOnLimitedConnection: true, maxInboundStreams: options.maxInboundStreams ?? 16 })
}

/**
 * Ask `peer` for the recent chat. Resolves with the messages whose signatures
 * hold, oldest first; rejects with a one-line reason when the peer cannot answer.
 */
export async function fetchHistory (node: Libp2p, peer: PeerId, options: { signal?: AbortSignal } = {}): Promise<SignedMessage[]> {
  const signal = options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  const stream = await node.dialProtocol(peer, HISTORY_PROTOCOL, { signal, runOnLimitedConnection: true })
  try {
    const pb = pbStream(stream, { maxDataLength: MAX_RESPONSE_BYTES })
    await pb.write({ subscriptions: [{ subscribe: true, topic: CHAT_TOPIC }], messages: [] }, RPC, { signal })
    const response = await pb.read(RPC, { signal })
    await stream.close({ signal }).catch(() => {})
    const verified: SignedMessage[] = []
    for (const raw of response.messages.slice(0, HISTORY_LIMIT)) {
      if (raw.topic !== CHAT_TOPIC) continue
      const message = await verifyRpcMessage(raw)
      if (message != null) verified.push(message)
    }
    return verified
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
