/**
 * Issue 13, item 1: message-id poisoning. Sequence numbers count up, so an
 * attacker can publish under an honest peer's *future* message ids first. The
 * poisoned ids must neither silence the agent nor censor a peer, on the agent
 * and on a node built from the browser's options; honest ids stay
 * universal-connectivity's.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { GossipSub, Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from 'multiformats/hashes/sha2'
import { toString } from 'uint8arrays/to-string'
import { browserPeerOptions } from '../../mesh/browser-options.ts'
import { installTopicValidators } from '../../mesh/gossip.ts'
import { outboundGossipStream } from '../../mesh/gossip-stream.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { pushMessages, signedMessage, throwawayKey } from './attacker.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

/** A node with exactly the browser's option set (it runs in Node too), hearing the chat. */
async function browserNode (): Promise<{ node: Libp2p<{ pubsub: GossipSub }>, heard: Array<{ from: string, text: string, seq: bigint, id: string }> }> {
  const node = await createLibp2p({ ...browserPeerOptions(), addresses: { listen: [] } }) as unknown as Libp2p<{ pubsub: GossipSub }>
  const heard: Array<{ from: string, text: string, seq: bigint, id: string }> = []
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg, msgId } = event.detail as { msg: Message, msgId: string }
    if (msg.type === 'signed' && msg.topic === CHAT_TOPIC) heard.push({ from: msg.from.toString(), text: new TextDecoder().decode(msg.data), seq: msg.sequenceNumber, id: msgId })
  })
  node.services.pubsub.subscribe(CHAT_TOPIC)
  return { node, heard }
}

describe('message-id poisoning', () => {
  it('pre-claimed future ids neither silence the agent nor censor an honest peer, at the agent or a browser', async () => {
    const agent = await testAgent()
    const honest = await testPeer()
    const attackerKey = await throwawayKey()
    const attacker = await testPeer({ privateKey: attackerKey, listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    const browser = await browserNode()
    try {
      await joinAgent(honest, agent.addresses.tcp[0]!)
      await joinAgent(attacker, agent.addresses.tcp[0]!)
      await browser.node.dial(multiaddr(agent.addresses.ws[0]!))
      await browser.node.dial(multiaddr(attacker.node.getMultiaddrs()[0]!))
      await expect.poll(() => browser.node.services.pubsub.getSubscribers(CHAT_TOPIC).length >= 2, { timeout: 10_000, interval: 25, message: 'browser sees agent and attacker' }).toBe(true)
      await expect.poll(() => outboundGossipStream(attacker.node, browser.node.peerId.toString()), { timeout: 10_000, interval: 25, message: 'attacker stream to browser' }).toBeDefined()

      // Every node in this process draws sequence numbers from one counter: the attacker reads where it is…
      await honest.say('warming up')
      const seen = await vi.waitFor(() => {
        const found = attacker.chat.find(l => l.text === 'warming up')
        if (found == null) throw new Error('still waiting for the warm-up at the attacker')
        return found
      }, { timeout: 10_000, interval: 25 })
      // …and publishes under the next few hundred ids first: to the agent on a topic nobody
      // subscribes to (the agent's own answers use those ids), to the browser on the chat itself.
      const ahead = Array.from({ length: 300 }, (_, i) => seen.seq + 1n + BigInt(i))
      const toAgent = await Promise.all(ahead.map(async seq => await signedMessage(attackerKey, 'nobody-listens-here', 'x', seq)))
      const toBrowser = await Promise.all(ahead.map(async seq => await signedMessage(attackerKey, CHAT_TOPIC, `poison ${seq}`, seq)))
      // Count what reaches the browser's chat validator: every poisoned id is claimed there
      // (ids are computed before validation), though it passes on only a neighbour's share.
      const validators = browser.node.services.pubsub.topicValidators
      const validate = validators.get(CHAT_TOPIC)!
      let arrived = 0
      validators.set(CHAT_TOPIC, (peer: unknown, msg: unknown) => { arrived++; return validate(peer as never, msg as never) })
      pushMessages(attacker.node.services.pubsub, agent.peerId, toAgent)
      pushMessages(attacker.node.services.pubsub, browser.node.peerId.toString(), toBrowser)
      await expect.poll(() => arrived >= ahead.length, { timeout: 10_000, interval: 25, message: 'the poison at the browser' }).toBe(true)

      await honest.say('Alien X, who is here?')
      const question = await vi.waitFor(() => {
        const found = browser.heard.find(l => l.from === honest.id && l.text === 'Alien X, who is here?')
        if (found == null) throw new Error('still waiting for the honest question at the browser')
        return found
      }, { timeout: 10_000, interval: 25 })
      expect(ahead).toContain(question.seq)
      const answer = await honest.waitForChat(l => l.from === agent.peerId && l.text.includes(honest.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
      expect(ahead).toContain(answer.seq)
      await expect.poll(() => browser.heard.find(l => l.from === agent.peerId && l.seq === answer.seq), { timeout: 10_000, interval: 25, message: 'the answer at the browser' }).toBeDefined()

      // Messages nobody pre-claimed keep universal-connectivity's id byte for byte.
      const warmAtBrowser = await vi.waitFor(() => {
        const found = browser.heard.find(l => l.text === 'warming up')
        if (found == null) throw new Error('still waiting for the warm-up at the browser')
        return found
      }, { timeout: 5000, interval: 25 })
      const ucId = await sha256.encode(new TextEncoder().encode(warmAtBrowser.seq.toString()))
      expect(warmAtBrowser.id).toBe(toString(ucId, 'base64'))
    } finally {
      await browser.node.stop()
    }
  }, 30_000)
})
