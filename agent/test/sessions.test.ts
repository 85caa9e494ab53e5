/**
 * Issue 13, item 3 (and issue 10): many sessions from one address, one after
 * another — a classroom behind one NAT, tabs on one laptop. GossipSub's
 * IP-colocation score must not deafen the agent to the later ones.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { shortPeerId } from '../../mesh/names.ts'
import { OVERALL_REFILL_SECONDS } from '../rate-limit.ts'
import { joinAgent, sleep, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

const SESSIONS = 100

describe('sessions from one address', () => {
  it(`greets and answers all ${SESSIONS} sequential sessions from 127.0.0.1`, async () => {
    const agent = await testAgent()
    const served: number[] = []
    for (let i = 0; i < SESSIONS; i++) {
      // Ask no faster than the agent's overall answer rate, which holds whoever asks:
      // this test is about being heard, not about that limit.
      const started = Date.now()
      const peer = await testPeer({ extension: false })
      await joinAgent(peer, agent.addresses.tcp[0]!)
      await peer.waitForChat(l => l.from === agent.peerId && l.text.startsWith('🛸 Welcome') && l.text.includes(shortPeerId(peer.id)), 10_000)
      await peer.say(`who is here? (session ${i})`)
      await peer.waitForChat(l => l.from === agent.peerId && l.text.includes(peer.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'), 10_000)
      served.push(i)
      await peer.stop()
      await sleep(OVERALL_REFILL_SECONDS * 1000 - (Date.now() - started))
    }
    expect(served).toHaveLength(SESSIONS)
  }, 300_000)
})
