/**
 * The picture of the mesh: nodes and edges derived from our own connections and
 * every topology report we hold. Pure, so it is easy to test and to recompute.
 */
import type { MeshState } from './state.ts'
import type { LinkInfo, PeerKind, TransportName } from './types.ts'
import { shortPeerId } from '../../../mesh/names.ts'

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

/** More nodes than this cannot be read (nor laid out at 60 fps): keep the ones nearest to us, then the most linked. */
export const MAX_GRAPH_NODES = 300

export function deriveGraph (state: Pick<MeshState, 'selfId' | 'peers' | 'ownConnections' | 'ownMeshPeers' | 'reports'> & Partial<Pick<MeshState, 'departed'>> & { connection?: Pick<MeshState['connection'], 'agentPeerId'> }, maxNodes = MAX_GRAPH_NODES): Graph {
  const links = new Map<string, LinkInfo>()
  const meshPairs = new Set<string>()
  // A peer that said goodbye (or went quiet) is not drawn, even where an older report still lists it.
  const gone = (id: string): boolean => state.departed?.has(id) === true

  const addLink = (a: string, b: string, transport: TransportName, limited: boolean): void => {
    if (a === b || gone(a) || gone(b)) return
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
  // Only peers with a link are drawn (a peer nobody is linked to says nothing about the mesh),
  // besides ourselves and the agent we dialed.
  const agent = state.connection?.agentPeerId
  const roots = [self, agent].filter((id): id is string => id != null)
  const kept = keepNearest(roots, [...links.values()], maxNodes)
  const nodes: GraphNode[] = [...kept].map(id => {
    const peer = state.peers.get(id)
    return { id, kind: id === self ? 'self' : peer?.kind ?? 'peer', name: peer?.name ?? shortPeerId(id) }
  })
  return { nodes, links: [...links.values()].filter(l => kept.has(l.source) && kept.has(l.target)) }
}

/**
 * At most `max` node ids: the roots, then breadth-first from them (nearest
 * first, the most linked first within a distance), then the most linked of the rest.
 */
function keepNearest (roots: string[], links: LinkInfo[], max: number): Set<string> {
  const neighbours = new Map<string, string[]>()
  const add = (a: string, b: string): void => {
    let list = neighbours.get(a)
    if (list == null) neighbours.set(a, list = [])
    list.push(b)
  }
  for (const l of links) { add(l.source, l.target); add(l.target, l.source) }
  const degree = (id: string): number => neighbours.get(id)?.length ?? 0
  const byDegree = (a: string, b: string): number => degree(b) - degree(a) || (a < b ? -1 : a > b ? 1 : 0)

  const kept = new Set<string>()
  let frontier: string[] = []
  for (const id of roots) {
    if (kept.size >= max) break
    if (!kept.has(id)) { kept.add(id); frontier.push(id) }
  }
  while (frontier.length > 0 && kept.size < max) {
    const next = new Set<string>()
    for (const id of frontier) for (const n of neighbours.get(id) ?? []) if (!kept.has(n)) next.add(n)
    frontier = []
    for (const id of [...next].sort(byDegree)) {
      if (kept.size >= max) break
      kept.add(id)
      frontier.push(id)
    }
  }
  if (kept.size < max) {
    for (const id of [...neighbours.keys()].filter(id => !kept.has(id)).sort(byDegree)) {
      if (kept.size >= max) break
      kept.add(id)
    }
  }
  return kept
}

/**
 * The path a message took to reach us, as far as we can see it: the author,
 * then the neighbour that forwarded it, then us.
 */
export function receivedPath (from: string, propagationSource: string, self: string): string[] {
  return from === propagationSource ? [from, self] : [from, propagationSource, self]
}
