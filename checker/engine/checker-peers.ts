/**
 * The checker's own libp2p peers, one per kind of judgement. They are lean on
 * purpose: `mesh/node-options.ts` also loads WebRTC, relay and DHT code, which
 * costs ~0.5 s of import time a check cannot afford (verdict in under 3 s).
 * What they share with every LLMesh peer (gossip settings, agent version)
 * still comes from `mesh/`.
 *
 * Checks import this module lazily, after the learner's program is spawned, so
 * loading libp2p here overlaps with the program's own start-up.
 */
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { PrivateKey, ServiceMap } from '@libp2p/interface'
import type { ServiceFactoryMap } from 'libp2p'
import { gossipOptions } from '../../mesh/gossip.ts'
import { llmeshAgentVersion } from '../../mesh/protocol.ts'

/** How every checker peer introduces itself in identify; later lessons' peers use it too. */
export const nodeInfo = { userAgent: llmeshAgentVersion('checker', 'node') }

/**
 * Dials the learner's node as lesson 1 leaves it: plaintext (or Noise) and no
 * muxer. Noise with a muxer on the other side negotiates the muxer inside its
 * handshake and refuses a dialer without one, so a node that is ahead is dialed
 * with `secureDialer` instead (see checks/dial.ts). Plaintext still exchanges
 * public keys, so the remote peer id is known after the dial.
 */
export async function bareDialer () {
  return await createLibp2p({
    nodeInfo,
    transports: [tcp(), webSockets()],
    connectionEncrypters: [plaintext(), noise()]
  })
}

/** From lesson 2 on: insists on Noise and Yamux, and asks questions with ping and identify. */
export async function secureDialer () {
  return await createLibp2p({
    nodeInfo,
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
}

export type SecureDialer = Awaited<ReturnType<typeof secureDialer>>

/** Both, in the order a dial tries them. */
export async function dialers () {
  const [bare, secure] = await Promise.all([bareDialer(), secureDialer()])
  return { bare, secure, all: [bare, secure] }
}

export type Dialers = Awaited<ReturnType<typeof dialers>>

/**
 * Lesson 3: a chat peer listening on loopback, for the learner's node to join.
 * Key and port are chosen beforehand, so its address can be handed to the
 * learner's program before this (slow to import) module has even loaded.
 * Later lessons give it more services (lesson 4's bootstrap peer adds ping and
 * a DHT server), passed in so that their slow imports stay in their own modules.
 */
export async function gossipPeer<Extra extends ServiceMap = Record<string, never>> (privateKey: PrivateKey, port: number, extra?: ServiceFactoryMap<Extra>) {
  const services = { ...extra, identify: identify(), pubsub: gossipsub(gossipOptions()) }
  return await createLibp2p<Extra & { identify: Identify, pubsub: GossipSub }>({
    privateKey,
    nodeInfo,
    addresses: { listen: [`/ip4/127.0.0.1/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: services as ServiceFactoryMap<Extra & { identify: Identify, pubsub: GossipSub }>
  })
}
