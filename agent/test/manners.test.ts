/**
 * Issue 10, "an agent with manners": with more than one person in the room the
 * agent answers only what is meant for it; alone with one person it answers
 * everything; the offline persona explains the missing model once.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { shortPeerId } from '../../mesh/names.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

const answerTo = (agentId: string, marker: string) => (l: { from: string, text: string }): boolean => l.from === agentId && !l.text.startsWith('🛸 Welcome') && l.text.includes(marker)

describe('an agent with manners', () => {
  it('in a room of two people answers only what is addressed to it; alone with one, everything', async () => {
    const agent = await testAgent()
    const alice = await testPeer()
    const bob = await testPeer()
    await joinAgent(alice, agent.addresses.tcp[0]!)
    await joinAgent(bob, agent.addresses.tcp[0]!)
    await expect.poll(() => agent.node.services.pubsub.getSubscribers(CHAT_TOPIC).length >= 2, { timeout: 5000, interval: 25, message: 'both people in the agent\'s chat' }).toBe(true)

    await alice.say('bob, are you there?')
    // Bob heard it through the agent, so the agent had it, and let it be.
    await expect.poll(() => bob.chat.some(l => l.text === 'bob, are you there?'), { timeout: 5000, interval: 25, message: 'the question at bob' }).toBe(true)
    await alice.say('Alien X, who is here?')
    await alice.waitForChat(answerTo(agent.peerId, alice.id.slice(-6)))
    // The first question was not answered: this is the agent's first answer.
    expect(agent.answersStarted()).toBe(1)
    // Its short peer id, as the chat app shows it, addresses it too.
    await bob.say(`${shortPeerId(agent.peerId)} who is here?`)
    await expect.poll(() => agent.answersStarted() === 2, { timeout: 10_000, interval: 25, message: 'an answer to bob' }).toBe(true)

    await bob.stop()
    await expect.poll(() => agent.node.services.pubsub.getSubscribers(CHAT_TOPIC).length === 1, { timeout: 10_000, interval: 25, message: 'bob to leave' }).toBe(true)
    await alice.say('and now, who is here?')
    await expect.poll(() => agent.answersStarted() === 3, { timeout: 10_000, interval: 25, message: 'an answer to alice alone' }).toBe(true)
  })

  it('explains the missing model once per person, then answers briefly', async () => {
    const agent = await testAgent()
    const alice = await testPeer()
    await joinAgent(alice, agent.addresses.tcp[0]!)
    await alice.say('tell me a joke')
    const first = await alice.waitForChat(l => l.from === agent.peerId && l.text.includes('OPENAI_API_KEY'))
    await alice.say('tell me another joke')
    const second = await alice.waitForChat(l => l.from === agent.peerId && !l.text.startsWith('🛸 Welcome') && l !== first)
    expect(second.text).not.toContain('OPENAI_API_KEY')
    expect(second.text.length).toBeLessThan(first.text.length / 2)
  })
})
