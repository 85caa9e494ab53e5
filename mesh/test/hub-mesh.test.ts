/**
 * A star — every peer connected only to the hub, as browsers are to the agent — is
 * only as good as the hub's gossipsub mesh: a peer outside it gets messages late by
 * lazy gossip, or never. With `hubGossipOptions()` the hub meshes with every peer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { GossipSub, Message } from '@libp2p/gossipsub'
import { hubGossipOptions } from '../gossip.ts'
import { meshPeersOf } from '../gossipsub-internals.ts'
import { nodePeerOptions } from '../node-options.ts'
import { CHAT_TOPIC } from '../protocol.ts'
import { stopAll, testAgent } from '../../agent/test/harness.ts'

/** More than gossipsub's default D_hi (12), the most a default hub keeps in its mesh. */
const PEERS = 20

type Node = Libp2p<{ pubsub: GossipSub }>
const started: Node[] = []

afterEach(async () => {
  await Promise.all(started.splice(0).map(async node => { await node.stop() }))
  await stopAll()
})

async function node (options: Parameters<typeof nodePeerOptions>[0]): Promise<Node> {
  const created = await createLibp2p(nodePeerOptions(options)) as unknown as Node
  started.push(created)
  return created
}

/** `PEERS` peers, each dialing only `hub` and subscribed to the chat. */
async function star (hub: Libp2p<any>): Promise<Node[]> {
  const peers = await Promise.all(Array.from({ length: PEERS }, async () => await node({ role: 'terminal' })))
  const hubAddress = hub.getMultiaddrs().find(a => a.toString().includes('/tcp/') && !a.toString().includes('/ws'))!
  for (const peer of peers) {
    peer.services.pubsub.subscribe(CHAT_TOPIC)
    await peer.dial(hubAddress)
  }
  return peers
}

/** Every peer but the sender hears one message from `sender`. */
async function everyoneHears (sender: Node, peers: Node[]): Promise<void> {
  const text = `hello from the edge of the star ${Math.random()}`
  const heard = new Set<string>()
  for (const peer of peers) {
    if (peer === sender) continue
    peer.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
      if (new TextDecoder().decode(event.detail.data) === text) heard.add(peer.peerId.toString())
    })
  }
  await sender.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))
  await vi.waitFor(() => { expect(heard.size).toBe(peers.length - 1) }, { timeout: 40_000, interval: 50 })
}

describe('a hub in a star of peers', () => {
  it(`with hubGossipOptions meshes with all ${PEERS} peers (gossipsub's defaults stop at 12) and a peer's message reaches every other peer`, { timeout: 90_000 }, async () => {
    const hub = await node({ role: 'agent', gossip: hubGossipOptions() })
    hub.services.pubsub.subscribe(CHAT_TOPIC)
    const peers = await star(hub)

    await vi.waitFor(() => { expect(meshPeersOf(hub.services.pubsub, CHAT_TOPIC)).toHaveLength(PEERS) }, { timeout: 40_000, interval: 50 })
    await everyoneHears(peers[PEERS - 1]!, peers)
  })

  it('the agent is such a hub', { timeout: 90_000 }, async () => {
    const agent = await testAgent()
    await star(agent.node)

    await vi.waitFor(() => { expect(meshPeersOf(agent.node.services.pubsub, CHAT_TOPIC)).toHaveLength(PEERS) }, { timeout: 40_000, interval: 50 })
  })
})
