/**
 * Lesson 4's checker peers: a bootstrap peer that chats, announces and serves
 * LLMesh's LAN DHT (the one address the learner's node is given), and plain
 * peers for the node to find. Imported lazily, after the learner's program is
 * spawned: kad-dht costs a few hundred milliseconds to load.
 */
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { createLibp2p } from 'libp2p'
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { LAN_DHT_PROTOCOL } from '../../mesh/protocol.ts'
import { gossipPeer, nodeInfo } from '../engine/checker-peers.ts'

/** The bootstrap peer: lesson 3's chat peer (chat and announcements), with ping and a LAN DHT server. */
export async function bootstrapPeer (privateKey: PrivateKey, port: number) {
  return await gossipPeer(privateKey, port, {
    ping: ping(),
    // Loopback addresses are all there is here, so none are filtered out.
    dht: kadDHT({ protocol: LAN_DHT_PROTOCOL, clientMode: false, peerInfoMapper: passthroughMapper })
  })
}

export type BootstrapPeer = Awaited<ReturnType<typeof bootstrapPeer>>

/** A peer that only listens and identifies itself: something to be found. */
export async function plainPeer (): Promise<Libp2p> {
  return await createLibp2p({
    nodeInfo,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

/**
 * A `@libp2p/pubsub-peer-discovery` announcement of `peer`, as that module
 * encodes it (protobuf `Peer { bytes publicKey = 1; repeated bytes addrs = 2 }`);
 * the package does not export its codec. Any peer may relay an announcement:
 * the announced peer id comes from the public key inside, not from the sender.
 */
export function announcement (peer: PeerId, addrs: Multiaddr[]): Uint8Array {
  if (peer.publicKey == null) throw new Error('an announced peer needs its public key')
  const fields = [field(1, publicKeyToProtobuf(peer.publicKey)), ...addrs.map(addr => field(2, addr.bytes))]
  return Uint8Array.from(fields.flatMap(bytes => [...bytes]))
}

/** One length-delimited protobuf field. */
function field (number: number, bytes: Uint8Array): number[] {
  return [(number << 3) | 2, ...varint(bytes.length), ...bytes]
}

function varint (value: number): number[] {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80)
    value >>>= 7
  }
  out.push(value)
  return out
}
