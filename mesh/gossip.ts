/**
 * GossipSub settings every LLMesh peer shares, so that any two of them (and any
 * universal-connectivity peer) agree on signing, message ids and size limits.
 */
import { gossipsub, StrictSign, TopicValidatorResult } from '@libp2p/gossipsub'
import type { GossipsubOpts, Message } from '@libp2p/gossipsub'
import { sha256 } from 'multiformats/hashes/sha2'
import { CHAT_TOPIC, FILE_TOPIC, LLMESH_TOPIC, MAX_CHAT_BYTES, MAX_EXTENSION_BYTES, PEER_DISCOVERY_TOPIC } from './protocol.ts'
import { parseExtensionMessage } from './extension.ts'

const encoder = new TextEncoder()

/**
 * Message id as the universal-connectivity js peers compute it: the sha256
 * multihash of the sequence number written in decimal. Peers that agree on the
 * id agree on what is a duplicate, so IHAVE/IWANT gossip works between them.
 */
export async function chatMessageId (msg: Message): Promise<Uint8Array> {
  if (msg.type !== 'signed') throw new Error('unsigned message: LLMesh only accepts StrictSign messages')
  const digest = await sha256.digest(encoder.encode(msg.sequenceNumber.toString()))
  return digest.bytes
}

/** Options for the `pubsub` service; spread extra settings over them when needed. */
export function gossipOptions (overrides: Partial<GossipsubOpts> = {}): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: StrictSign,
    msgIdFn: chatMessageId,
    // Relayed (circuit v2) connections are "limited"; browsers reach each other through them.
    runOnLimitedConnection: true,
    // A lone peer may still talk; the visualizer shows "no peers yet" instead of an error.
    allowPublishToZeroTopicPeers: true,
    ignoreDuplicatePublishError: true,
    // No maxInboundDataLength here: it caps a whole RPC frame, and a frame over it closes
    // the peer's inbound stream for good. Per-message sizes are the topic validators' job.
    ...overrides
  }
}

export function meshGossipsub (overrides: Partial<GossipsubOpts> = {}): ReturnType<typeof gossipsub> {
  return gossipsub(gossipOptions(overrides))
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decode a chat payload, or undefined when it is not valid UTF-8 or too large. */
export function decodeChatText (data: Uint8Array): string | undefined {
  if (data.byteLength === 0 || data.byteLength > MAX_CHAT_BYTES) return undefined
  try {
    return utf8.decode(data)
  } catch {
    return undefined
  }
}

/**
 * Validators for the topics LLMesh understands. Rejected messages are neither
 * delivered nor forwarded, and gossipsub's peer score penalises their sender.
 */
export function meshTopicValidators (): Map<string, (peer: unknown, msg: Message) => TopicValidatorResult> {
  const signedOnly = (check: (data: Uint8Array) => boolean) => (_peer: unknown, msg: Message): TopicValidatorResult => {
    if (msg.type !== 'signed') return TopicValidatorResult.Reject
    return check(msg.data) ? TopicValidatorResult.Accept : TopicValidatorResult.Reject
  }
  return new Map([
    [CHAT_TOPIC, signedOnly(data => decodeChatText(data) !== undefined)],
    [FILE_TOPIC, signedOnly(data => decodeChatText(data) !== undefined)],
    [PEER_DISCOVERY_TOPIC, signedOnly(data => data.byteLength <= MAX_EXTENSION_BYTES)],
    [LLMESH_TOPIC, signedOnly(data => parseExtensionMessage(data) !== undefined)]
  ])
}

/** Install the validators on a running node's pubsub service. */
export function installTopicValidators (pubsub: { topicValidators: Map<string, any> }): void {
  for (const [topic, validator] of meshTopicValidators()) pubsub.topicValidators.set(topic, validator)
}

export { TopicValidatorResult }
