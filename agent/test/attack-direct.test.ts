/**
 * Issue 13, item 4: direct messages must not starve chat answers. Peers that ask
 * by direct message and never acknowledge the answer hold a DM stream open until
 * it times out; they must not hold the agent's model slots meanwhile.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { sendDirectMessage } from '../../mesh/direct-message.ts'
import { DM_PROTOCOL } from '../../mesh/protocol.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'
import type { TestPeer } from './harness.ts'

afterAll(stopAll)

/** A peer that accepts the agent's direct answers and never acknowledges them. */
async function silentReceiver (peer: TestPeer): Promise<{ opened: number, closed: number }> {
  const counts = { opened: 0, closed: 0 }
  await peer.node.handle(DM_PROTOCOL, (stream) => {
    counts.opened++
    stream.addEventListener('close', () => { counts.closed++ })
  })
  return counts
}

describe('direct messages and chat answers', () => {
  it('answers the chat while direct answers wait for acknowledgements that never come', async () => {
    const agent = await testAgent({ maxConcurrentReplies: 2 })
    const stallers = await Promise.all(Array.from({ length: 4 }, async () => await testPeer({ extension: false })))
    const counts = await Promise.all(stallers.map(silentReceiver))
    for (const peer of stallers) await peer.node.dial(multiaddr(agent.addresses.tcp[0]!))
    for (const peer of stallers) {
      for (let i = 0; i < 2; i++) await sendDirectMessage(peer.node, agent.node.peerId, `who is here? ${i}`, 'test')
    }
    // Every staller has an answer stream open that it will never acknowledge.
    await expect.poll(() => counts.every(c => c.opened >= 1), { timeout: 10_000, interval: 25, message: 'the direct answers to reach the stallers' }).toBe(true)

    const honest = await testPeer()
    await joinAgent(honest, agent.addresses.tcp[0]!)
    await honest.say('Alien X, who is here?')
    await honest.waitForChat(l => l.from === agent.peerId && l.text.includes(honest.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'), 20_000)
    // Answered while every unacknowledged direct answer was still pending: none had to time out first.
    expect(counts.map(c => c.closed)).toEqual([0, 0, 0, 0])
    // And no staller got more than one direct message at a time.
    expect(counts.every(c => c.opened === 1)).toBe(true)
  }, 30_000)
})
