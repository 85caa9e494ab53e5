/**
 * The picture of the mesh: nodes and edges derived from our own connections and
 * every topology report we hold. Pure, so it is easy to test and to recompute.
 */
import type { MeshState } from './state.ts'
import type { LinkInfo, PeerKind, TransportName } from './types.ts'

export interface GraphNode {
  id: string
  kind: PeerKind
  name: string
}

export interface Graph {
  nodes: GraphNode[]
  links: LinkInfo[]
}

export function linkKey (a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

/** When one pair has several connections, draw the best one: direct beats relayed. */
const TRANSPORT_RANK: Record<TransportName, number> = {
  'webrtc-direct': 6, webrtc: 5, wss: 4, ws: 4, tcp: 4, other: 2, relay: 1
}

export function deriveGraph (state: Pick<MeshState, 'selfId' | 'peers' | 'ownConnections' | 'ownMeshPeers' | 'reports'>): Graph {
  const links = new Map<string, LinkInfo>()
  const meshPairs = new Set<string>()

  const addLink = (a: string, b: string, transport: TransportName, limited: boolean): void => {
    if (a === b) return
    const key = linkKey(a, b)
    const existing = links.get(key)
    if (existing == null) {
      const [source, target] = a < b ? [a, b] : [b, a]
      links.set(key, { key, source, target, transport, limited, gossipMesh: false })
    } else if (TRANSPORT_RANK[transport] > TRANSPORT_RANK[existing.transport]) {
      existing.transport = transport
      existing.limited = limited
    }
  }

  const self = state.selfId
  if (self != null) {
    for (const c of state.ownConnections) addLink(self, c.peer, c.transport, c.limited)
    for (const peer of state.ownMeshPeers) meshPairs.add(linkKey(self, peer))
  }
  for (const report of state.reports.values()) {
    for (const c of report.connections) {
      // Our own connections are known first-hand; a report about them may be stale.
      if (self != null && c.peer === self) continue
      addLink(report.reporter, c.peer, c.transport, c.limited)
    }
    for (const peer of report.meshPeers) meshPairs.add(linkKey(report.reporter, peer))
  }
  for (const key of meshPairs) {
    const link = links.get(key)
    if (link != null) link.gossipMesh = true
  }
  const nodeIds = new Set<string>()
  if (self != null) nodeIds.add(self)
  for (const link of links.values()) { nodeIds.add(link.source); nodeIds.add(link.target) }
  for (const peer of state.peers.values()) if (peer.kind === 'agent') nodeIds.add(peer.id)

  const nodes: GraphNode[] = [...nodeIds].map(id => {
    const peer = state.peers.get(id)
    return { id, kind: id === self ? 'self' : peer?.kind ?? 'peer', name: peer?.name ?? id.slice(-6) }
  })
  return { nodes, links: [...links.values()] }
}

/**
 * The path a message took to reach us, as far as we can see it: the author,
 * then the neighbour that forwarded it, then us.
 */
export function receivedPath (from: string, propagationSource: string, self: string): string[] {
  return from === propagationSource ? [from, self] : [from, propagationSource, self]
}
