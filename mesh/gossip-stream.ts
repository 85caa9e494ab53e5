/**
 * A node's outbound gossipsub stream to a peer, found through the public
 * connection API (gossipsub keeps its own map private): whether a message
 * published now is sent to that peer, and how much waits in its buffer.
 * Browser-safe.
 */
import type { Connection, Stream } from '@libp2p/interface'

interface GossipNode {
  getConnections: () => Connection[]
  services: { pubsub: { protocols: string[] } }
}

/**
 * The open outbound stream on one of gossipsub's protocols to `peer`, if any.
 * gossipsub opens one per peer and adds it to its own map one step after the
 * protocol is negotiated, so for an instant this may see it first.
 */
export function outboundGossipStream (node: GossipNode, peer: string): Stream | undefined {
  const protocols = node.services.pubsub.protocols
  for (const connection of node.getConnections()) {
    if (connection.status !== 'open' || connection.remotePeer.toString() !== peer) continue
    const stream = connection.streams.find(s => s.direction === 'outbound' && s.writeStatus === 'writable' && protocols.includes(s.protocol))
    if (stream != null) return stream
  }
  return undefined
}
