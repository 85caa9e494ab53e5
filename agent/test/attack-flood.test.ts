/**
 * Issue 13, items 2 and 11 (log lines): a flood of chat messages, each signed by
 * a new throwaway key, over one connection. The per-author limit alone lets every
 * key through; the agent must limit the connection too, cap its model calls and
 * its own notices, not pass the flood on, and log it in a few lines, not one per message.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { RELAY_BURST } from '../../mesh/gossip.ts'
import { startFakeOllama } from '../llm/test/fake-llm-servers.ts'
import { pushMessages, signedMessage, throwawayKey } from './attacker.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

const FLOOD = 300

const closers: Array<() => Promise<void>> = []
afterAll(async () => {
  await stopAll()
  for (const close of closers) await close()
})

describe('a flood from throwaway keys over one connection', () => {
  it('costs a handful of model calls and chat messages, leaves an honest peer answered, and logs a summary', async () => {
    const ollama = await startFakeOllama({ reply: messages => `You asked: ${messages.at(-1)?.content ?? ''}` })
    closers.push(ollama.close)
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, model: 'llama3.2' } })
    const honest = await testPeer()
    const attacker = await testPeer()
    await joinAgent(honest, agent.addresses.tcp[0]!)
    await joinAgent(attacker, agent.addresses.tcp[0]!)
    await honest.waitForChat(l => l.from === agent.peerId && l.text.includes(honest.id.slice(-6)))
    const agentLinesBefore = honest.chat.filter(l => l.from === agent.peerId).length

    const base = BigInt(Date.now()) * 1_000_000n
    const flood = await Promise.all(Array.from({ length: FLOOD }, async (_, i) =>
      await signedMessage(await throwawayKey(), CHAT_TOPIC, `Alien X, what is gossipsub? (${i})`, base + BigInt(i))))
    // Count what reaches the agent's own chat validator: proof the whole flood arrived.
    const pubsub = agent.node.services.pubsub
    const validate = pubsub.topicValidators.get(CHAT_TOPIC)!
    let arrived = 0
    pubsub.topicValidators.set(CHAT_TOPIC, (peer: unknown, msg: unknown) => { arrived++; return validate(peer as never, msg as never) })
    pushMessages(attacker.node.services.pubsub, agent.peerId, flood)
    await expect.poll(() => arrived >= FLOOD, { timeout: 20_000, interval: 25, message: 'the whole flood at the agent' }).toBe(true)

    await honest.say('Alien X, are you still there?')
    await honest.waitForChat(l => l.from === agent.peerId && l.text.includes('You asked: Alien X, are you still there?'), 20_000)

    // Never one for one: a few model calls and a few chat messages for the whole flood.
    expect(ollama.requests.length).toBeLessThanOrEqual(15)
    const agentLines = honest.chat.filter(l => l.from === agent.peerId).length - agentLinesBefore
    expect(agentLines).toBeLessThanOrEqual(15)
    // Nor does the agent pass the flood on: the honest peer got the relay burst, not 300.
    expect(honest.chat.filter(l => l.text.startsWith('Alien X, what is gossipsub?')).length).toBeLessThanOrEqual(RELAY_BURST + 20)
    const dropLines = agent.lines.filter(l => /dropp|rate limit|queue/.test(l))
    expect(dropLines.length).toBeGreaterThan(0)
    expect(dropLines.length).toBeLessThanOrEqual(5)
  }, 30_000)
})
