/**
 * Lesson 5's checker peers: a circuit relay v2 server (the relay in
 * LLMESH_RELAY), a peer that can reach the learner's node only through a
 * relay, and relay clients that use the learner's node as their relay.
 * Imported lazily, after the learner's program is spawned.
 */
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { Circuit } from '@multiformats/multiaddr-matcher'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { gossipOptions } from '../../mesh/gossip.ts'
import { nodeInfo } from '../engine/checker-peers.ts'

/**
 * The relay the learner's node reserves a slot on. js-libp2p's default limits
 * for each relayed connection: 128 KiB and 2 minutes.
 */
export async function relayPeer (privateKey: PrivateKey, port: number, reservationTtl: number) {
  return await createLibp2p({
    privateKey,
    nodeInfo,
    addresses: { listen: [`/ip4/127.0.0.1/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      relay: circuitRelayServer({ reservations: { reservationTtl } })
    }
  })
}

export type RelayPeer = Awaited<ReturnType<typeof relayPeer>>

/**
 * Dials nothing but relayed addresses and the relay they go through: whatever
 * else it learns about the learner's node (identify tells it the node's direct
 * addresses), it can only reach the node over a circuit.
 */
function onlyThrough (relay: Multiaddr) {
  const relayTransport = relay.decapsulateCode(0x01a5).toString() // 0x01a5 = p2p
  return { denyDialMultiaddr: (addr: Multiaddr) => !Circuit.matches(addr) && !addr.toString().startsWith(relayTransport) }
}

/** Lesson 5 (a): a chat peer that reaches the learner's node only through `relay`. */
export async function relayedChatPeer (relay: Multiaddr) {
  return await createLibp2p({
    nodeInfo,
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: onlyThrough(relay),
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub(gossipOptions())
    }
  })
}

export type RelayedChatPeer = Awaited<ReturnType<typeof relayedChatPeer>>

/**
 * Lesson 5 (b): a peer that reserves a slot on the learner's node (`relay` is
 * the node's TCP address). Not started: starting it makes the reservation, and
 * fails if the node serves no relay.
 */
export async function reservingPeer (relay: Multiaddr) {
  return await createLibp2p({
    nodeInfo,
    start: false,
    addresses: { listen: [`${relay.toString()}/p2p-circuit`] },
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
}

/** Lesson 5 (b): a peer that reaches the reserving peer only through the learner's node. */
export async function relayedPingPeer (relay: Multiaddr) {
  return await createLibp2p({
    nodeInfo,
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: onlyThrough(relay),
    services: { identify: identify(), ping: ping() }
  })
}
