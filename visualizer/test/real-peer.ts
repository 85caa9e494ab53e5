/**
 * A real libp2p peer on 127.0.0.1 with LLMesh's gossipsub, for tests that
 * exercise the app's network code against the wire instead of a stand-in.
 */
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import type { GossipSub, GossipsubOpts } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { meshGossipsub } from '../../mesh/gossip.ts'

export type GossipPeer = Libp2p<{ pubsub: GossipSub }>

export async function gossipPeer (gossip: Partial<GossipsubOpts> = {}): Promise<GossipPeer> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: meshGossipsub(gossip) }
  }) as unknown as GossipPeer
}
