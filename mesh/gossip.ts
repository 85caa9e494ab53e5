/**
 * GossipSub settings every LLMesh peer shares, so that any two of them (and any
 * universal-connectivity peer) agree on signing, message ids, peer scoring and
 * size limits.
 */
import { gossipsub, StrictSign, TopicValidatorResult } from '@libp2p/gossipsub'
import type { GossipsubOpts, Message } from '@libp2p/gossipsub'
import type { PeerScoreParams } from '@libp2p/gossipsub/score'
import { isPrivateIp } from '@libp2p/utils'
import HLRU from 'hashlru'
import { sha256 } from 'multiformats/hashes/sha2'
import { CHAT_TOPIC, FILE_TOPIC, LLMESH_TOPIC, MAX_CHAT_BYTES, MAX_EXTENSION_BYTES, PEER_DISCOVERY_TOPIC } from './protocol.ts'
import { parseExtensionMessage } from './extension.ts'
import { PeerRateLimiter } from './rate-limit.ts'
import type { ExtensionMessage } from './extension.ts'

const encoder = new TextEncoder()

/**
 * Message id exactly as the universal-connectivity js peer computes it: the raw
 * 32-byte sha256 digest of the sequence number written in decimal
 * (`sha256.encode(…)`, not the 34-byte multihash). Peers that agree on the id
 * agree on what is a duplicate, so IHAVE/IWANT gossip works between them.
 */
export async function chatMessageId (msg: Message): Promise<Uint8Array> {
  if (msg.type !== 'signed') throw new Error('unsigned message: LLMesh only accepts StrictSign messages')
  return await sha256.encode(encoder.encode(msg.sequenceNumber.toString()))
}

/** How long gossipsub remembers a message id (its default `seenTTL`). */
const SEEN_TTL_MS = 2 * 60_000
/** Ids whose first author is remembered; hashlru keeps between this many and twice as many. */
const CLAIMS_REMEMBERED = 20_000

type MessageIdFn = (msg: Message) => Promise<Uint8Array>

/**
 * The message id function of one node: `chatMessageId`, guarded against
 * pre-claiming. Gossipsub's sequence numbers count up from the wall clock, so
 * anyone can publish a message under someone else's *future* id first; the real
 * message then looks like a duplicate and is dropped everywhere. This function
 * remembers which author first used an id, and gives a message from a different
 * author under the same id an id of its own (sha256 of author and sequence
 * number). Honest messages keep the universal-connectivity id byte for byte;
 * only a collision (an attack, in practice) gets the other form.
 *
 * It holds state, so every node needs its own: `gossipOptions()` makes one per call.
 */
export function createMessageIdFn (now: () => number = Date.now): MessageIdFn {
  const claims = HLRU(CLAIMS_REMEMBERED)
  return async (msg: Message): Promise<Uint8Array> => {
    const id = await chatMessageId(msg)
    if (msg.type !== 'signed') return id
    const key = hexOf(id)
    const author = msg.from.toString()
    const claim = claims.get(key) as { author: string, at: number } | undefined
    const at = now()
    // A claim older than gossipsub's seen cache is forgotten there too: the id is free again.
    if (claim == null || at - claim.at > SEEN_TTL_MS) {
      claims.set(key, { author, at })
      return id
    }
    if (claim.author === author) return id
    return await sha256.encode(encoder.encode(`llmesh-collision/${author}/${msg.sequenceNumber}`))
  }
}

function hexOf (bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0')
  return text
}

/**
 * Peers on loopback and private networks share one IP by nature: every tab on a
 * laptop, a classroom on one LAN. Gossipsub's IP-colocation penalty
 * (−5 × (peers − threshold)², below the graylist at about the 15th peer with the
 * defaults) would silently deafen the mesh to all of them, so those addresses are
 * exempt. The set is asked per IP with `has`, which is all gossipsub does with it.
 */
class LocalNetworkAddresses extends Set<string> {
  override has (ip: string): boolean {
    return isPrivateIp(ip) === true
  }
}

/**
 * Public addresses keep the colocation penalty, with room for a classroom or a
 * meetup behind one NAT before it starts (gossipsub's default is 10).
 */
export const PEERS_PER_PUBLIC_IP = 100

export function meshScoreParams (): Partial<PeerScoreParams> {
  return {
    IPColocationFactorThreshold: PEERS_PER_PUBLIC_IP,
    IPColocationFactorWhitelist: new LocalNetworkAddresses()
  }
}

/**
 * Bytes gossipsub may hold for one peer that is not reading. Past it the stream is
 * aborted and the peer dropped from gossip: a peer that never reads must not grow
 * our memory (issue 13). A peer reading at any real network speed never gets near it.
 */
export const MAX_OUTBOUND_BUFFER_BYTES = 1024 * 1024

/** Options for the `pubsub` service; spread extra settings over them when needed. */
export function gossipOptions (overrides: Partial<GossipsubOpts> = {}): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: StrictSign,
    msgIdFn: createMessageIdFn(),
    scoreParams: meshScoreParams(),
    // Relayed (circuit v2) connections are "limited"; browsers reach each other through them.
    runOnLimitedConnection: true,
    // A lone peer may still talk; the visualizer shows "no peers yet" instead of an error.
    allowPublishToZeroTopicPeers: true,
    ignoreDuplicatePublishError: true,
    maxOutboundBufferSize: MAX_OUTBOUND_BUFFER_BYTES,
    // No maxInboundDataLength here: it caps a whole RPC frame, and a frame over it closes
    // the peer's inbound stream for good. Per-message sizes are the topic validators' job.
    ...overrides
  }
}

/**
 * How many peers a hub (the agent) keeps in its gossipsub mesh: the classroom it
 * supports with every message pushed at once. Browsers connect only to the agent, so
 * the agent's mesh *is* the route; gossipsub's default D_hi of 12 left every peer past
 * the 12th to lazy gossip (≈ 60 % delivered, seconds late). Chosen from the agent's
 * connection budget (512 connections, 128 relay reservations) and measured by
 * `npm run bench`; the reasoning and the figures are in docs/decisions.md.
 */
export const HUB_MESH_DEGREE = 256

/**
 * Gossipsub degree settings for a hub: `D`, `D_lo` and `D_hi` all at `meshDegree`, so
 * every subscriber is grafted as it subscribes (gossipsub grafts at once while the mesh
 * is below `D_lo`) and kept; past `meshDegree` the excess is pruned and served by lazy
 * gossip, which `gossipFactor: 1` offers to every such peer each heartbeat (late, not
 * lost). `D_score` keeps the best-scored two thirds when pruning, as gossipsub's
 * defaults do (4 of 6), so peers that join in a flood cannot push honest ones out;
 * `D_out` stays at 2 so the few connections the agent dialed itself (other agents)
 * stay in the mesh against an eclipse by inbound sybils. Flood publishing (the
 * default) stays on: the agent's own answers go to every subscriber directly.
 */
export function hubGossipOptions (meshDegree: number = HUB_MESH_DEGREE): Partial<GossipsubOpts> {
  return {
    D: meshDegree,
    Dlo: meshDegree,
    Dhi: meshDegree,
    Dscore: Math.floor(meshDegree * 2 / 3),
    Dout: 2,
    gossipFactor: 1,
    floodPublish: true
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
  // Per node: how much chat each neighbour has passed us lately.
  const relayed = new PeerRateLimiter(RELAY_BURST, 1 / RELAY_PER_SECOND)
  const signedOnly = (check: (data: Uint8Array, from: string) => boolean) => (peer: unknown, msg: Message): TopicValidatorResult => {
    if (msg.type !== 'signed') return TopicValidatorResult.Reject
    if (!check(msg.data, msg.from.toString())) return TopicValidatorResult.Reject
    // Valid but too many passed on by one neighbour under other keys: neither delivered nor
    // forwarded, and no penalty (Ignore), so a flood signed by throwaway keys stops at the
    // first honest peer. A neighbour's own messages are its author limits' business.
    const source = String(peer)
    if (msg.topic !== LLMESH_TOPIC && msg.from.toString() !== source && !relayed.take(source).allowed) return TopicValidatorResult.Ignore
    return TopicValidatorResult.Accept
  }
  return new Map([
    [CHAT_TOPIC, signedOnly(data => decodeChatText(data) !== undefined)],
    [FILE_TOPIC, signedOnly(data => decodeChatText(data) !== undefined)],
    [PEER_DISCOVERY_TOPIC, signedOnly(data => data.byteLength <= MAX_EXTENSION_BYTES)],
    [LLMESH_TOPIC, signedOnly((data, from) => {
      const message = parseExtensionMessage(data)
      return message !== undefined && speaksForItself(message, from)
    })]
  ])
}

/**
 * A peer speaks only for itself: a topology report is about its signer's own
 * connections, and a reply's id starts with its signer's id tail (see
 * `replyIdPrefix`). Anything else is someone claiming to be someone else, and is
 * neither delivered nor forwarded.
 */
export function speaksForItself (message: ExtensionMessage, from: string): boolean {
  if (message.type === 'topology') return message.peer === from
  if (message.type === 'reply') return message.replyId.startsWith(replyIdPrefix(from))
  return true
}

/** The start of every reply id a peer may use: the tail of its own peer id. */
export function replyIdPrefix (peerId: string): string {
  return `${peerId.slice(-8)}-`
}

/**
 * Chat and file messages one neighbour may pass us: a burst, then a steady rate
 * well above a busy room's (people type a message every few seconds; a relay for
 * a classroom passes a few per second). Extension messages are bounded by their
 * own validity rules and carry streamed replies, so they are not counted.
 */
export const RELAY_BURST = 100
export const RELAY_PER_SECOND = 20

/** Install the validators on a running node's pubsub service. */
export function installTopicValidators (pubsub: { topicValidators: Map<string, any> }): void {
  for (const [topic, validator] of meshTopicValidators()) pubsub.topicValidators.set(topic, validator)
}

export { TopicValidatorResult }
