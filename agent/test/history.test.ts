/**
 * A peer that joins late catches up: the agent serves the recent chat, its own
 * answers included, as the signed messages it received or sent.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { fetchHistory } from '../../mesh/history.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

describe('chat history', () => {
  it('hands a late joiner what was said before it came, signed by each author', async () => {
    const agent = await testAgent()
    const early = await testPeer()
    await joinAgent(early, agent.addresses.tcp[0]!)
    await early.say('Alien X, what does Noise do?')
    const answer = await early.waitForChat(line => line.from === agent.peerId && line.text.includes('Noise') && !line.text.startsWith('🛸 Welcome'))

    const late = await testPeer()
    await joinAgent(late, agent.addresses.tcp[0]!)
    const history = await fetchHistory(late.node, agent.node.peerId)
    const said = history.map(m => ({ from: m.from.toString(), text: new TextDecoder().decode(m.data), seq: m.sequenceNumber }))
    const question = said.findIndex(s => s.from === early.id && s.text === 'Alien X, what does Noise do?')
    const reply = said.findIndex(s => s.from === agent.peerId && s.text === answer.text && s.seq === answer.seq)
    expect(question).toBeGreaterThanOrEqual(0)
    expect(reply).toBeGreaterThanOrEqual(0)
    // Oldest first: the question comes before its answer.
    expect(question).toBeLessThan(reply)
  })
})
