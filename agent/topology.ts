/**
 * This node's view of its own connections, published so the visualizer can draw
 * the whole mesh and not only the browser's own links.
 */
import type { Libp2p } from '@libp2p/interface'
import { CHAT_TOPIC } from '../mesh/protocol.ts'
import { fitTopologyReport } from '../mesh/topology-report.ts'
import type { ConnectionReport, TopologyReport } from '../mesh/extension.ts'
import { transportOf } from '../mesh/transport.ts'
import { meshPeersOf } from '../mesh/gossipsub-internals.ts'

export async function buildTopologyReport (node: Libp2p<{ pubsub: unknown }>): Promise<Omit<TopologyReport, 'v'>> {
  const seen = new Set<string>()
  const connections: ConnectionReport[] = []
  for (const connection of node.getConnections()) {
    const peer = connection.remotePeer.toString()
    // One entry per peer: several connections to the same peer are one edge in the picture.
    if (seen.has(peer) || connection.status !== 'open') continue
    seen.add(peer)
    connections.push({
      peer,
      transport: transportOf(connection.remoteAddr),
      direction: connection.direction,
      limited: connection.limits != null,
      ...(connection.rtt != null && Number.isFinite(connection.rtt) ? { rttMs: Math.round(connection.rtt * 10) / 10 } : {}),
      ...(await agentVersionOf(node, connection.remotePeer))
    })
  }
  return fitTopologyReport({
    type: 'topology',
    peer: node.peerId.toString(),
    connections,
    meshPeers: meshPeersOf(node.services.pubsub, CHAT_TOPIC)
  })
}

async function agentVersionOf (node: Libp2p, peerId: Parameters<Libp2p['peerStore']['get']>[0]): Promise<{ agentVersion?: string }> {
  try {
    const bytes = (await node.peerStore.get(peerId)).metadata.get('AgentVersion')
    return bytes == null ? {} : { agentVersion: new TextDecoder().decode(bytes).slice(0, 200) }
  } catch {
    return {}
  }
}
