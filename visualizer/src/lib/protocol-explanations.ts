/**
 * The protocol inspector's one-line explanations ("educational mode"), each
 * tagged with the workshop topic whose lesson teaches it.
 */
import type { LessonTopic } from '../../../lessons/catalogue.ts'
import type { TransportName } from '../../../mesh/transport.ts'

export type { LessonTopic }

export interface Explanation {
  /** What it is, in one line. */
  text: string
  topic: LessonTopic
}

export const TRANSPORT_EXPLANATIONS: Record<TransportName, Explanation> = {
  ws: { text: 'WebSocket: a TCP connection upgraded over HTTP, the simplest way for a browser to reach a Node peer.', topic: 'transports' },
  wss: { text: 'Secure WebSocket: WebSocket inside TLS; needs a certificate browsers trust.', topic: 'transports' },
  tcp: { text: 'TCP: the plain stream transport between Node peers; browsers cannot open raw TCP sockets.', topic: 'transports' },
  'webrtc-direct': { text: 'WebRTC-direct: a browser dials a server over UDP without signalling; the /certhash pins its self-signed certificate.', topic: 'webrtc' },
  webrtc: { text: 'WebRTC: browser-to-browser, negotiated through a relay and then direct (hole punched).', topic: 'webrtc' },
  relay: { text: 'Circuit relay v2: traffic flows through a relay peer; a "limited" connection carries only small, short exchanges.', topic: 'relay' },
  other: { text: 'A transport this app does not draw specially.', topic: 'transports' }
}

/** Keyed by protocol id prefix; the longest matching prefix wins. */
const PROTOCOLS: Array<[prefix: string, explanation: Explanation]> = [
  ['/noise', { text: 'Noise XX handshake: both sides prove their peer id and agree on keys; everything after is encrypted.', topic: 'security' }],
  ['/tls', { text: 'TLS 1.3 as a libp2p security protocol, an alternative to Noise.', topic: 'security' }],
  ['/yamux', { text: 'yamux: many independent streams over one connection, each with its own flow control.', topic: 'muxing' }],
  ['/mplex', { text: 'mplex: an older, simpler stream multiplexer.', topic: 'muxing' }],
  ['/webrtc', { text: 'WebRTC data channels: one channel per stream, so no extra muxer is needed.', topic: 'webrtc' }],
  ['/ipfs/id/push', { text: 'identify push: tells connected peers at once when our addresses or protocols change.', topic: 'identify' }],
  ['/ipfs/id', { text: 'identify: peers exchange their agent version, listen addresses and supported protocols.', topic: 'identify' }],
  ['/ipfs/ping', { text: 'ping: echoes 32 random bytes to measure round-trip time and keep the connection alive.', topic: 'ping' }],
  ['/meshsub', { text: 'GossipSub: publish/subscribe; each peer keeps a small mesh per topic and gossips message ids to the rest.', topic: 'gossipsub' }],
  ['/floodsub', { text: 'FloodSub: the simplest pubsub, sending every message to every subscriber.', topic: 'gossipsub' }],
  ['/libp2p/circuit/relay/0.2.0/hop', { text: 'relay hop: ask a relay to reserve a slot or to connect us to another peer through it.', topic: 'relay' }],
  ['/libp2p/circuit/relay/0.2.0/stop', { text: 'relay stop: the relay tells us someone connects to us through it.', topic: 'relay' }],
  ['/webrtc-signaling', { text: 'WebRTC signalling: SDP offers and ICE candidates exchanged over a relayed stream.', topic: 'webrtc' }],
  ['/libp2p/dcutr', { text: 'DCUtR: direct connection upgrade through relay (hole punching).', topic: 'relay' }],
  ['/ipfs/lan/kad', { text: 'Kademlia DHT (LAN): find peers and records by distance in the key space.', topic: 'dht' }],
  ['/ipfs/kad', { text: 'Kademlia DHT: find peers and records by distance in the key space.', topic: 'dht' }],
  ['/libp2p/autonat', { text: 'AutoNAT: ask peers to dial us back to learn whether we are publicly reachable.', topic: 'relay' }],
  ['/universal-connectivity/dm', { text: 'Direct messages between two peers, request/response over one stream.', topic: 'direct-messages' }],
  ['/universal-connectivity-file', { text: 'File transfer: fetch a file body by the id announced on the file topic.', topic: 'direct-messages' }]
]

export function explainProtocol (protocol: string): Explanation | undefined {
  let best: [string, Explanation] | undefined
  for (const entry of PROTOCOLS) {
    if (protocol.startsWith(entry[0]) && (best == null || entry[0].length > best[0].length)) best = entry
  }
  return best?.[1]
}
