/**
 * The libp2p option set for a Node peer (agent, terminal peer, checker).
 * Lesson solutions build their own options on purpose: building them is the lesson.
 */
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { kadDHT, removePublicAddressesMapper } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery'
import { tcp } from '@libp2p/tcp'
import { webRTCDirect } from '@libp2p/webrtc'
import { yamux } from '@libp2p/yamux'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { PeerDiscovery, PrivateKey } from '@libp2p/interface'
import type { Libp2pOptions } from 'libp2p'
import { meshGossipsub } from './gossip.ts'
import { guardedWebSockets } from './websocket-guard.ts'
import { LAN_DHT_PROTOCOL, LLMESH_VERSION, PEER_DISCOVERY_TOPIC, llmeshAgentVersion } from './protocol.ts'
import type { PeerRole } from './protocol.ts'

export interface NodePeerOptions {
  role: PeerRole
  privateKey?: PrivateKey
  /** Listen multiaddrs; default: TCP on a random loopback port. */
  listen?: string[]
  /** Serve circuit relay v2 so browsers can reach each other through this node. */
  relayServer?: boolean
  /** Run a Kad-DHT server in LAN mode. */
  dht?: boolean
  /** Find peers on the LAN with mDNS (the node must dial them itself). */
  mdns?: boolean
  /** Announce and learn peers on the universal-connectivity discovery topic. */
  pubsubDiscovery?: boolean
  /** Settings over the shared gossip options, e.g. `emitSelf` for a peer that records its own messages. */
  gossip?: Partial<GossipsubOpts>
}

/**
 * Inbound connections that may be mid-handshake at once (libp2p's default is 10,
 * tight for a classroom joining together). Loopback gets no exemption: an
 * allow-listed address skips this cap and the connection cap too.
 */
export const MAX_PENDING_INBOUND = 64
/** New inbound connections per second from one address (libp2p's default is 5). */
export const INBOUND_PER_HOST_PER_SECOND = 50

export function nodePeerOptions (options: NodePeerOptions) {
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if (options.mdns === true) peerDiscovery.push(mdns())
  if (options.pubsubDiscovery === true) peerDiscovery.push(pubsubPeerDiscovery({ topics: [PEER_DISCOVERY_TOPIC], interval: 10_000 }))

  const services = {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    pubsub: meshGossipsub(options.gossip),
    ...(options.relayServer === true ? { relay: circuitRelayServer({ reservations: { maxReservations: 128 } }) } : {}),
    ...(options.dht === true
      ? { dht: kadDHT({ protocol: LAN_DHT_PROTOCOL, peerInfoMapper: removePublicAddressesMapper, clientMode: false }) }
      : {})
  }

  return {
    ...(options.privateKey != null ? { privateKey: options.privateKey } : {}),
    nodeInfo: { name: 'llmesh', version: LLMESH_VERSION, userAgent: llmeshAgentVersion(options.role, 'node') },
    addresses: { listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp(), guardedWebSockets({ maxPending: MAX_PENDING_INBOUND }), webRTCDirect(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: 512,
      maxIncomingPendingConnections: MAX_PENDING_INBOUND,
      inboundConnectionThreshold: INBOUND_PER_HOST_PER_SECOND
    },
    peerDiscovery,
    services
  } satisfies Libp2pOptions<any>
}
