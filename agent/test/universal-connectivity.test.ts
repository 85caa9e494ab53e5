/**
 * A peer written only from the wire contract in DESIGN.md, with none of LLMesh's
 * own code: plain libp2p, gossipsub with StrictSign, UTF-8 text on the
 * `universal-connectivity` topic. If it can chat with the agent, so can the
 * universal-connectivity go, rust and js peers.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from 'multiformats/hashes/sha2'
import { stopAll, testAgent, waitFor } from './harness.ts'

afterAll(stopAll)

describe('universal-connectivity compatibility', () => {
  it('a peer built only from the wire contract chats with the agent', async () => {
    const agent = await testAgent()
    const ucPeer = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: {
        identify: identify(),
        pubsub: gossipsub({
          globalSignaturePolicy: 'StrictSign',
          allowPublishToZeroTopicPeers: true,
          msgIdFn: async (msg: Message) => {
            if (msg.type !== 'signed') throw new Error('unsigned')
            return (await sha256.digest(new TextEncoder().encode(msg.sequenceNumber.toString()))).bytes
          }
        })
      }
    })
    try {
      // StrictSign: gossipsub delivers only signed messages, so `from` is authenticated.
      const heard: Array<{ from: string, text: string }> = []
      ucPeer.services.pubsub.addEventListener('message', (event) => {
        const msg = event.detail
        if (msg.topic !== 'universal-connectivity') return
        if (msg.type === 'signed') heard.push({ from: msg.from.toString(), text: new TextDecoder().decode(msg.data) })
      })
      ucPeer.services.pubsub.subscribe('universal-connectivity')
      await ucPeer.dial(multiaddr(agent.addresses.tcp[0]!))

      await waitFor(() => heard.find(m => m.from === agent.peerId), 10_000, 'greeting')
      await waitFor(() => ucPeer.services.pubsub.getSubscribers('universal-connectivity').length > 0 || undefined, 5000, 'agent subscription')
      await ucPeer.services.pubsub.publish('universal-connectivity', new TextEncoder().encode('Hello from a universal-connectivity peer. Who is here?'))
      const answer = await waitFor(() => heard.find(m => m.from === agent.peerId && m.text.includes(ucPeer.peerId.toString().slice(-6)) && !m.text.startsWith('🛸 Welcome')), 10_000, 'answer')
      // Raw UTF-8, no envelope: the text is readable as is.
      expect(answer.text).not.toMatch(/^\s*[{[]/)
    } finally {
      await ucPeer.stop()
    }
  })
})
