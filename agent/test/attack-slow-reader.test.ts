/**
 * Issue 13, item 9: a peer that subscribes and then never reads. Without a cap,
 * everything gossipsub sends it piles up in the agent's memory; with one, the
 * slow reader is dropped from gossip once its buffer is full.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { RPC } from '@libp2p/gossipsub/message'
import type { Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { MAX_OUTBOUND_BUFFER_BYTES } from '../../mesh/gossip.ts'
import { outboundGossipStream } from '../../mesh/gossip-stream.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { encodeExtensionMessage } from '../../mesh/extension.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

const MESHSUB = '/meshsub/1.1.0'

/** What waits in the agent's outbound gossipsub stream to `peer`. */
function bufferedTowards (agent: { node: Parameters<typeof outboundGossipStream>[0] }, peer: string): number | 'gone' {
  return outboundGossipStream(agent.node, peer)?.writeBufferLength ?? 'gone'
}

describe('a peer that never reads', () => {
  it('costs the agent at most the outbound buffer limit, then is dropped from gossip', async () => {
    const agent = await testAgent()
    // A libp2p node that speaks just enough gossipsub to subscribe, and never reads a byte of it.
    const sink = await createLibp2p({
      addresses: { listen: [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() }
    })
    try {
      let opened = 0
      await sink.handle(MESHSUB, (stream) => { opened++; stream.pause() })
      await sink.dial(multiaddr(agent.addresses.tcp[0]!))
      const out = await sink.dialProtocol(agent.node.peerId, MESHSUB)
      for (const chunk of lp.encode([RPC.encode({ subscriptions: [{ subscribe: true, topic: CHAT_TOPIC }, { subscribe: true, topic: LLMESH_TOPIC }], messages: [], control: { graft: [{ topicID: CHAT_TOPIC }, { topicID: LLMESH_TOPIC }], prune: [], ihave: [], iwant: [], idontwant: [] } })])) out.send(chunk)
      await expect.poll(() => opened > 0 && agent.node.services.pubsub.getSubscribers(CHAT_TOPIC).some((p: { equals: (other: unknown) => boolean }) => p.equals(sink.peerId)), { timeout: 10_000, interval: 25, message: 'the sink to subscribe' }).toBe(true)

      // An ordinary peer publishes three times the limit: the agent forwards every message to the sink too.
      const talker = await testPeer()
      await joinAgent(talker, agent.addresses.tcp[0]!)
      let heard = 0
      agent.node.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => { if (event.detail.type === 'signed' && event.detail.from.equals(talker.node.peerId) && event.detail.topic === LLMESH_TOPIC) heard++ })
      // Large valid messages: topology reports of the talker's own, with long mesh lists
      // (chat is limited per neighbour; this is about bytes, not messages).
      const meshPeers = Array.from({ length: 450 }, (_, i) => `12D3KooWListed${String(i).padStart(38, '0')}`)
      const report = encodeExtensionMessage({ type: 'topology', peer: talker.id, connections: [], meshPeers })
      const total = Math.ceil((3 * MAX_OUTBOUND_BUFFER_BYTES) / report.byteLength)
      let peak = 0
      const watch = setInterval(() => {
        const buffered = bufferedTowards(agent, sink.peerId.toString())
        if (buffered !== 'gone') peak = Math.max(peak, buffered)
      }, 5)
      try {
        // In steps, so the talker's own buffer never fills: it reads, the sink does not.
        for (let i = 0; i < total; i++) {
          await talker.node.services.pubsub.publish(LLMESH_TOPIC, encodeExtensionMessage({ type: 'topology', peer: talker.id, connections: [], meshPeers: [...meshPeers.slice(1), `12D3KooWListed${String(i).padStart(38, 'x')}`] }))
          if (i % 32 === 31) await expect.poll(() => heard > i, { timeout: 10_000, interval: 25, message: `the agent to receive message ${i}` }).toBe(true)
        }
        await expect.poll(() => heard >= total, { timeout: 10_000, interval: 25, message: 'the agent to receive everything' }).toBe(true)
      } finally {
        clearInterval(watch)
      }
      // The agent held at most the limit (plus the message that overflowed it), then let the sink go.
      expect(bufferedTowards(agent, sink.peerId.toString())).toBe('gone')
      expect(peak).toBeLessThanOrEqual(MAX_OUTBOUND_BUFFER_BYTES + report.byteLength * 2)
      // Everyone else is still served (a newcomer: the talker has used up its rate limit).
      const newcomer = await testPeer({ extension: false })
      await joinAgent(newcomer, agent.addresses.tcp[0]!)
      await newcomer.say('Alien X, who is here?')
      await newcomer.waitForChat(l => l.from === agent.peerId && l.text.includes(newcomer.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
    } finally {
      await sink.stop()
    }
  }, 30_000)
})
