/**
 * The shape of everything the app knows. libp2p events are translated into
 * store actions by `src/net/`; components read this state through composables.
 */
import type { TransportName } from '../../../mesh/transport.ts'
import type { PeerRole } from '../../../mesh/protocol.ts'

export type { TransportName }

/** What kind of node a peer is, as far as we can tell. */
export type PeerKind = 'self' | PeerRole | 'peer'

/** The named steps of joining the mesh, in order. */
export const STAGES = ['dialing', 'noise', 'yamux', 'identify', 'gossipsub'] as const
export type StageName = typeof STAGES[number]
export type StageStatus = 'waiting' | 'active' | 'done' | 'failed'

export interface StageState {
  name: StageName
  status: StageStatus
  /** What this stage did on this transport, e.g. "yamux over WebSocket" or "WebRTC data channels". */
  detail?: string
  startedAt?: number
  /** When it finished (epoch ms); the next stage that starts without a time of its own starts here. */
  endedAt?: number
  ms?: number
}

/**
 * welcome: nothing dialed yet; connecting: first dial in progress; synced: the
 * agent is connected and subscribed to chat; offline: the agent went away and
 * we are retrying; failed: the first dial failed (the person may edit the address).
 */
export type MeshPhase = 'welcome' | 'connecting' | 'synced' | 'offline' | 'failed'

export interface ConnectionState {
  phase: MeshPhase
  agentAddress: string
  agentPeerId?: string
  stages: StageState[]
  failure?: { stage: StageName, reason: string }
  /** The transport of the current connection to the agent. */
  transport?: TransportName
  /** While offline: which retry is next and when (epoch ms). */
  retry?: { attempt: number, at: number, lastError?: string }
  /** Why the agent connection was lost, shown at once. */
  lostReason?: string
  /** This join was started by a reload, not by LET'S FLOW: the page says "reconnecting". */
  resumed?: boolean
  /** The address that joined, when it is not the one the person typed (another transport of the same agent). */
  usedAddress?: string
  /**
   * Whether the agent receives what we publish, as its history tells: `yes` once a
   * message of ours is in it, `no` when one is still missing after a while (the
   * agent ignores us, e.g. our peer score fell below its graylist). Unknown until
   * we have published something.
   */
  agentHears?: 'yes' | 'no'
}

export interface PeerInfo {
  id: string
  kind: PeerKind
  /** Display name: a presence name ("Alien X") or one derived from the peer id. */
  name: string
  /** The name presence claimed; shown as is only for an agent we can vouch for. */
  claimedName?: string
  agentVersion?: string
  protocols: string[]
  addresses: string[]
  rttMs?: number
  /** From presence: which LLM answers for this peer. */
  provider?: string
  model?: string
  persona?: string
  lastSeen: number
}

/** An undirected edge between two peers, keyed by the sorted pair. */
export interface LinkInfo {
  key: string
  source: string
  target: string
  transport: TransportName
  limited: boolean
  /** Both ends are in each other's gossipsub mesh for the chat topic (as far as a report says). */
  gossipMesh: boolean
}

/** One node's own view of its connections: ours, or a topology report from another peer. */
export interface ConnectionView {
  peer: string
  transport: TransportName
  direction: 'inbound' | 'outbound'
  limited: boolean
  rttMs?: number
  agentVersion?: string
}

export interface TopologyView {
  reporter: string
  connections: ConnectionView[]
  meshPeers: string[]
  receivedAt: number
}

/**
 * Our own message's delivery, only ever from a real publish: `recipients` are the
 * peers gossipsub wrote it to, `toAgent` whether the agent was one of them, and
 * `agentHas` what the agent's history later said (undefined until it answered).
 */
export type Delivery =
  | { state: 'pending' }
  | { state: 'sending' }
  | { state: 'sent', recipients: number, toAgent?: boolean, agentHas?: boolean }
  | { state: 'failed', reason: string }

export interface ReplyInfo {
  replyId: string
  provider: string
  model?: string
  streaming: boolean
  error?: string
  /** Chunks by index, so out-of-order delivery still reads right. */
  parts: string[]
  /** When the latest chunk came (epoch ms): a stream silent for long is over, `done` or not. */
  lastChunkAt?: number
}

/** A line in the chat view: a received chat message or one of our own, with its delivery and reply state. */
export interface ChatMessage {
  /** `from:seq` for received messages, a local id for our own. */
  id: string
  from: string
  text: string
  at: number
  own: boolean
  delivery?: Delivery
  reply?: ReplyInfo
  /** For a streamed reply: the id of its plain-chat copy, once that arrived. */
  chatId?: string
  inReplyTo?: { from: string, seq: string }
  /** Our own message's gossipsub sequence number, once published: how the agent's history names it. */
  seq?: string
  /** Caught up from the agent's history after we (re)joined: we were not there when it was sent. */
  backfilled?: boolean
}

/** A message travelling through the picture: the ordered peers it crossed. */
export interface Pulse {
  id: number
  path: string[]
  at: number
}

/** What one of our connections negotiated, for the protocol inspector. */
export interface NegotiatedConnection {
  id: string
  peer: string
  remoteAddr: string
  transport: TransportName
  direction: 'inbound' | 'outbound'
  encryption?: string
  muxer?: string
  limited: boolean
  /** Protocols of the streams open on this connection right now. */
  streams: string[]
  openedAt: number
}
