/**
 * What we learn about peers: from identify, presence, pings, our own
 * connections and other peers' topology reports.
 */
import { markRaw } from 'vue'
import { kindFromAgentVersion, mergeKind } from '../lib/peer-kind.ts'
import { nameForPeer } from '../lib/peer-name.ts'
import type { MeshState } from './state.ts'
import type { ConnectionView, NegotiatedConnection, PeerInfo, PeerKind } from './types.ts'

export interface PresenceInfo {
  role: 'agent' | 'browser' | 'terminal' | 'checker'
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
const MAX_PEERS = 1000

export function peerActions (state: MeshState) {
  const ensurePeer = (id: string, kind: PeerKind = 'peer', at = Date.now()): PeerInfo => {
    let peer = state.peers.get(id)
    if (peer == null) {
      if (state.peers.size >= MAX_PEERS) forgetOldestPeer(state)
      state.peers.set(id, { id, kind: id === state.selfId ? 'self' : kind, name: nameForPeer(id), protocols: [], addresses: [], lastSeen: at })
      peer = state.peers.get(id)!
    } else {
      peer.kind = mergeKind(peer.kind, kind === 'peer' ? undefined : kind)
      peer.lastSeen = Math.max(peer.lastSeen, at)
    }
    return peer
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
      const peer = ensurePeer(id, kindFromAgentVersion(info.agentVersion))
      if (info.agentVersion != null) peer.agentVersion = info.agentVersion
      peer.protocols = [...info.protocols].sort()
      peer.addresses = info.addresses
    },

    presence (from: string, presence: PresenceInfo): void {
      const peer = ensurePeer(from, presence.role)
      if (presence.role === 'agent') peer.kind = 'agent'
      peer.name = presence.name
      peer.provider = presence.provider
      peer.model = presence.model
      peer.persona = presence.persona
    },

    rtt (id: string, ms: number): void {
      const peer = state.peers.get(id)
      if (peer != null) peer.rttMs = Math.round(ms * 10) / 10
    },

    ownConnections (connections: NegotiatedConnection[]): void {
      for (const c of connections) ensurePeer(c.peer)
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
      for (const c of report.connections) {
        const peer = ensurePeer(c.peer, kindFromAgentVersion(c.agentVersion), at)
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

    /** Drop reports nobody refreshed for `maxAgeMs`: their reporter left. */
    expireReports (now: number, maxAgeMs: number): void {
      for (const [peer, report] of state.reports) {
        if (now - report.receivedAt > maxAgeMs) state.reports.delete(peer)
      }
    }
  }
}

function forgetOldestPeer (state: MeshState): void {
  let oldest: PeerInfo | undefined
  for (const peer of state.peers.values()) {
    if (peer.kind === 'self' || peer.kind === 'agent') continue
    if (oldest == null || peer.lastSeen < oldest.lastSeen) oldest = peer
  }
  if (oldest != null) state.peers.delete(oldest.id)
}
