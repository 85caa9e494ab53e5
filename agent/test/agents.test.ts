import { afterAll, describe, expect, it, vi } from 'vitest'
import { join } from 'node:path'
import { shortPeerId } from '../../mesh/names.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { REPO_ROOT } from '../config.ts'
import { joinAgent, sleep, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

describe('several agents in one mesh', () => {
  it('two agents bootstrapped to each other both serve peers and never answer each other unprompted', async () => {
    const first = await testAgent()
    // Alice is in first's mesh before second arrives: second greets first the moment it
    // connects, and gossip forwards a message only to the mesh of that moment (a peer
    // that joined later would get it only by luck, through IHAVE, which made this flaky).
    const alice = await testPeer()
    await joinAgent(alice, first.addresses.tcp[0]!)
    await expect.poll(() => first.node.services.pubsub.getMeshPeers(CHAT_TOPIC).includes(alice.id), { timeout: 10_000, interval: 25, message: 'alice in first\'s mesh' }).toBe(true)
    const second = await testAgent({ bootstrap: [first.addresses.tcp[0]!], personaFile: join(REPO_ROOT, 'docs/examples/nova.md') })
    await expect.poll(() => second.node.getConnections(first.node.peerId).length > 0, { timeout: 10_000, interval: 25, message: 'bootstrap connection' }).toBe(true)

    const bob = await testPeer()
    await joinAgent(bob, second.addresses.ws[0]!)
    const novaPresence = await vi.waitFor(() => {
      const found = bob.extension.find(e => e.from === second.peerId && e.message.type === 'presence')
      if (found == null) throw new Error('still waiting for Nova presence')
      return found
    }, { timeout: 5000, interval: 25 })
    expect(novaPresence.message).toMatchObject({ name: 'Nova', role: 'agent' })

    // Each agent greets the other: a greeting does not address an agent by name, so it goes unanswered.
    await expect.poll(() => alice.chat.find(l => l.from === second.peerId && l.text.includes(shortPeerId(first.peerId))), { timeout: 10_000, interval: 25, message: 'second greets first' }).toBeDefined()
    await sleep(1500)
    expect(first.answersStarted()).toBe(0)
    expect(second.answersStarted()).toBe(0)

    // Both serve their peers: each of alice's and bob's questions gets answered by both agents.
    await alice.say('who is here?')
    await alice.waitForChat(l => l.from === first.peerId && l.text.includes(alice.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
    await bob.waitForChat(l => l.from === second.peerId && l.text.includes(bob.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
    await sleep(1500)
    // One question, one answer each: the agents did not start answering each other's answers.
    expect(first.answersStarted()).toBe(1)
    expect(second.answersStarted()).toBe(1)
  })

  it('agents several hops apart do not answer each other\'s greetings', async () => {
    const a = await testAgent()
    const b = await testAgent({ bootstrap: [a.addresses.tcp[0]!] })
    await expect.poll(() => b.node.getConnections(a.node.peerId).length > 0, { timeout: 10_000, interval: 25, message: 'B joins A' }).toBe(true)
    const c = await testAgent({ bootstrap: [b.addresses.tcp[0]!] })
    await expect.poll(() => c.node.getConnections(b.node.peerId).length > 0, { timeout: 10_000, interval: 25, message: 'C joins B' }).toBe(true)
    expect(a.node.getConnections(c.node.peerId)).toHaveLength(0)
    // C greets B; gossip carries the greeting on to A, which has never met C.
    await expect.poll(() => c.lines.some(l => l.startsWith('greeted')), { timeout: 10_000, interval: 25, message: 'C greets' }).toBe(true)
    await sleep(2000)
    expect(a.answersStarted()).toBe(0)
    expect(b.answersStarted()).toBe(0)
    expect(c.answersStarted()).toBe(0)
  })

  it('an agent answers another agent only when addressed by name, and not forever', async () => {
    const first = await testAgent()
    const second = await testAgent({ bootstrap: [first.addresses.tcp[0]!] })
    await expect.poll(() => second.node.getConnections(first.node.peerId).length > 0, { timeout: 10_000, interval: 25, message: 'bootstrap connection' }).toBe(true)
    // Identify tells each agent that the other is an agent.
    await sleep(500)

    const relay = second.node.services.pubsub
    for (let i = 0; i < 5; i++) {
      await relay.publish(CHAT_TOPIC, new TextEncoder().encode(`Alien X, tell me about gossipsub (${i})`))
      await sleep(200)
    }
    await sleep(1500)
    // Addressed by name: answered, but within the agent-to-agent budget.
    expect(first.answersStarted()).toBeGreaterThanOrEqual(1)
    expect(first.answersStarted()).toBeLessThanOrEqual(2)
  })
})
