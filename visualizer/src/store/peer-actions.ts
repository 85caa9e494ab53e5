/**
 * What we learn about peers: from identify, presence, pings, our own
 * connections and other peers' topology reports.
 */
import { markRaw } from 'vue'
import { kindFromAgentVersion, mergeKind } from '../lib/peer-kind.ts'
import { shortPeerId } from '../../../mesh/names.ts'
import type { PeerRole } from '../../../mesh/protocol.ts'
import type { MeshState } from './state.ts'
import type { ConnectionView, NegotiatedConnection, PeerInfo, PeerKind } from './types.ts'

export interface PresenceInfo {
  role: PeerRole
  name: string
  provider?: string
  model?: string
  persona?: string
}

export interface IdentifyInfo {
  agentVersion?: string
  protocols: string[]
  addresses: string[]
}

export interface ReportInfo {
  peer: string
  connections: ConnectionView[]
  meshPeers: string[]
}

/** Keep at most this many peers we only heard about, so a noisy mesh cannot grow the store without end. */
export const MAX_PEERS = 1000

/**
 * Only a reported guess: a topology report is what some peer says about someone
 * else, so it may tell browsers from terminals but never makes anyone an agent.
 */
/** A real node has tens of connections; more is a flood, cut short. */
const MAX_REPORT_CONNECTIONS = 500

function reportedKind (agentVersion: string | undefined): PeerKind | undefined {
  const kind = kindFromAgentVersion(agentVersion)
  return kind === 'agent' ? 'peer' : kind
}

export function peerActions (state: MeshState) {
  const ensurePeer = (id: string, kind: PeerKind = 'peer', at = Date.now()): PeerInfo => {
    let peer = state.peers.get(id)
    if (peer == null) {
      if (state.peers.size >= MAX_PEERS) forgetOldestPeers(state)
      state.peers.set(id, { id, kind: id === state.selfId ? 'self' : kind, name: shortPeerId(id), protocols: [], addresses: [], lastSeen: at })
      peer = state.peers.get(id)!
    } else {
      peer.kind = mergeKind(peer.kind, kind === 'peer' ? undefined : kind)
      peer.lastSeen = Math.max(peer.lastSeen, at)
    }
    return peer
  }

  /** An agent we can vouch for: identify on our own connection said so, or it is the agent we dialed. */
  const isVerifiedAgent = (peer: PeerInfo): boolean =>
    peer.kind === 'agent' || (peer.id === state.connection.agentPeerId && peer.id !== state.selfId)

  /**
   * Presence is only what a peer claims: an unverified "Alien X" keeps its short
   * id beside the claimed name, so nobody can pass for the agent.
   */
  const applyPresenceName = (peer: PeerInfo): void => {
    if (peer.claimedName == null) return
    peer.name = isVerifiedAgent(peer) ? peer.claimedName : `${peer.claimedName}? ${shortPeerId(peer.id)}`
  }

  return {
    ensurePeer,

    setSelf (id: string, agentVersion: string): void {
      state.selfId = id
      const self = ensurePeer(id, 'self')
      self.kind = 'self'
      self.agentVersion = agentVersion
    },

    identified (id: string, info: IdentifyInfo): void {
      // Identify on our own connection: the only place the `agent` kind comes from.
      const peer = ensurePeer(id, kindFromAgentVersion(info.agentVersion))
      if (info.agentVersion != null) peer.agentVersion = info.agentVersion
      peer.protocols = [...info.protocols].sort()
      peer.addresses = info.addresses
      applyPresenceName(peer)
    },

    presence (from: string, presence: PresenceInfo): void {
      // A claimed role is a hint for other kinds, never proof of being an agent.
      const peer = ensurePeer(from, presence.role === 'agent' ? undefined : presence.role)
      if (from === state.connection.agentPeerId && from !== state.selfId) peer.kind = 'agent'
      // Only an agent's name is worth showing (and worth doubting); a browser or terminal keeps its short id.
      peer.claimedName = presence.role === 'agent' ? presence.name : undefined
      if (presence.role === 'agent') applyPresenceName(peer)
      else peer.name = shortPeerId(peer.id)
      peer.provider = presence.provider
      peer.model = presence.model
      peer.persona = presence.persona
    },

    /** A signed message from this peer: it is here, whatever a goodbye or a silence said before. */
    heardFrom (id: string): void {
      state.departed.delete(id)
    },

    /** The peer said goodbye: drop it from the picture now, not when every report about it has caught up. */
    goodbye (id: string, at = Date.now()): void {
      if (id === state.selfId) return
      state.reports.delete(id)
      if (id !== state.connection.agentPeerId) depart(id, at)
    },

    /** We left the mesh: our links and everyone's reports are gone with our node. */
    disconnected (): void {
      state.ownConnections = markRaw([])
      state.ownMeshPeers = markRaw([])
      state.reports.clear()
      state.departed.clear()
    },

    rtt (id: string, ms: number): void {
      const peer = state.peers.get(id)
      if (peer != null) peer.rttMs = Math.round(ms * 10) / 10
    },

    ownConnections (connections: NegotiatedConnection[]): void {
      for (const c of connections) {
        ensurePeer(c.peer)
        // A connection opened after a goodbye is the peer back; one still closing after it is not.
        const departedAt = state.departed.get(c.peer)
        if (departedAt != null && c.openedAt > departedAt) state.departed.delete(c.peer)
      }
      // Refreshed every heartbeat: only a real change may wake the topology view.
      if (JSON.stringify(connections) === JSON.stringify(state.ownConnections)) return
      state.ownConnections = markRaw(connections)
    },

    ownMeshPeers (peers: string[]): void {
      const sorted = [...peers].sort()
      if (sorted.join() === state.ownMeshPeers.join()) return
      state.ownMeshPeers = markRaw(sorted)
    },

    topologyReport (report: ReportInfo, at = Date.now()): void {
      if (report.peer === state.selfId) return
      ensurePeer(report.peer, 'peer', at)
      if (report.connections.length > MAX_REPORT_CONNECTIONS) report = { ...report, connections: report.connections.slice(0, MAX_REPORT_CONNECTIONS) }
      for (const c of report.connections) {
        const peer = ensurePeer(c.peer, reportedKind(c.agentVersion), at)
        if (c.agentVersion != null && peer.agentVersion == null) peer.agentVersion = c.agentVersion
        // Our own pings are fresher than a reported RTT; theirs is still better than nothing.
        if (c.rttMs != null && peer.rttMs == null && c.peer !== state.selfId) peer.rttMs = c.rttMs
      }
      // A report is replaced whole, never edited: keep it raw (no deep proxies over hundreds of entries).
      state.reports.set(report.peer, markRaw({ reporter: report.peer, connections: report.connections, meshPeers: report.meshPeers, receivedAt: at }))
    },

    /** A reporter we no longer reach (e.g. the agent went away) no longer speaks for the mesh. */
    forgetReport (peer: string): void {
      state.reports.delete(peer)
    },

    /**
     * Drop reports nobody refreshed for `maxAgeMs`: their reporter left without a
     * goodbye (a closed tab, a crash), so it leaves the picture too, unless we
     * are connected to it ourselves.
     */
    expireReports (now: number, maxAgeMs: number): void {
      for (const [peer, report] of state.reports) {
        if (now - report.receivedAt <= maxAgeMs) continue
        state.reports.delete(peer)
        const connected = state.ownConnections.some(c => c.peer === peer)
        if (!connected && peer !== state.connection.agentPeerId) depart(peer, now)
      }
    }
  }

  function depart (id: string, at: number): void {
    state.departed.delete(id)
    state.departed.set(id, at)
    // Bounded like the peer list: the oldest departure is forgotten first. A Map, not
    // the hashlru the agent uses: it lives in Vue's reactive state, whose proxies see
    // a Map's reads and writes but not a closure's, so the graph would not redraw.
    if (state.departed.size > MAX_PEERS) state.departed.delete(state.departed.keys().next().value!)
  }
}

/**
 * Agents are evicted like anyone else (a flood may claim to be agents); only we
 * and the agent we dialed stay. A tenth goes at once, so a flood costs one sort
 * per hundred new peers, not a scan per peer.
 */
function forgetOldestPeers (state: MeshState): void {
  const candidates = [...state.peers.values()]
    .filter(peer => peer.kind !== 'self' && peer.id !== state.selfId && peer.id !== state.connection.agentPeerId)
    .sort((a, b) => a.lastSeen - b.lastSeen)
  const excess = state.peers.size - MAX_PEERS + 1
  const count = Math.min(candidates.length, Math.max(excess, Math.ceil(MAX_PEERS / 10)))
  for (const peer of candidates.slice(0, count)) state.peers.delete(peer.id)
}
