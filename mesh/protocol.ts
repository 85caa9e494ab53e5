/**
 * The wire contract: every topic, protocol id and limit that LLMesh peers agree on.
 *
 * The first block is shared with libp2p's universal-connectivity apps (go, rust
 * and js peers), so a universal-connectivity peer can join an LLMesh mesh.
 * The second block is LLMesh's own, versioned extension.
 */

/** Chat topic. Payload: raw UTF-8 text, no envelope. */
export const CHAT_TOPIC = 'universal-connectivity'
/** File announcements. Payload: a file id (UTF-8); the body is fetched over FILE_PROTOCOL. */
export const FILE_TOPIC = 'universal-connectivity-file'
/** `@libp2p/pubsub-peer-discovery` announcements (protobuf `Peer { publicKey, addrs }`). */
export const PEER_DISCOVERY_TOPIC = 'universal-connectivity-browser-peer-discovery'
/**
 * The Kad-DHT LLMesh peers share: libp2p's LAN DHT, for peers that reach each
 * other on private addresses (the public Amino DHT is `/ipfs/kad/1.0.0`).
 */
export const LAN_DHT_PROTOCOL = '/ipfs/lan/kad/1.0.0'
/** Fetch a file body by id: both directions varint-length-prefixed. */
export const FILE_PROTOCOL = '/universal-connectivity-file/1'
/** Direct messages: varint-prefixed protobuf request/response (see mesh/dm.proto). */
export const DM_PROTOCOL = '/universal-connectivity/dm/1.0.0'

/** LLMesh extension topic: presence, streamed reply chunks, topology reports (JSON, validated). */
export const LLMESH_TOPIC = 'llmesh/1'
/**
 * Catch-up for late joiners: ask a peer (the agent) for the recent chat, get the
 * signed messages as it received them (see mesh/history.ts).
 */
export const HISTORY_PROTOCOL = '/llmesh/history/1.0.0'
/** Bumped when the extension schema changes incompatibly; peers ignore other versions. */
export const LLMESH_SCHEMA_VERSION = 1

export const LLMESH_VERSION = '0.1.0'

/** The identify agentVersion of an LLMesh peer, e.g. `llmesh/0.1.0 agent (node)`. */
export function llmeshAgentVersion (role: PeerRole, runtime: 'node' | 'browser'): string {
  return `llmesh/${LLMESH_VERSION} ${role} (${runtime})`
}

/** What kind of peer a node is; shown in the visualizer and in identify. */
export const PEER_ROLES = ['agent', 'browser', 'terminal', 'checker'] as const
export type PeerRole = typeof PEER_ROLES[number]

/** Largest chat message (UTF-8 bytes) a peer accepts; gossipsub rejects bigger ones. */
export const MAX_CHAT_BYTES = 4096
/** Largest LLMesh extension message (bytes); topology reports of ~200 peers fit. */
export const MAX_EXTENSION_BYTES = 64 * 1024

/** The LLMesh role a peer announced in identify, or undefined for other libp2p peers. */
export function roleFromAgentVersion (agentVersion: string | undefined): PeerRole | undefined {
  const role = /^llmesh\/\S+ (\S+)/.exec(agentVersion ?? '')?.[1]
  return PEER_ROLES.find(known => known === role)
}
