/**
 * Issue 13, item 6: the agent must not relay state a peer claims about someone
 * else (a topology report for another peer, reply chunks under another peer's
 * reply ids) or numbers that are not numbers.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { encodeExtensionMessage } from '../../mesh/extension.ts'
import { LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

describe('spoofed extension messages', () => {
  it('are neither delivered by the agent nor forwarded to anyone', async () => {
    const agent = await testAgent()
    const attacker = await testPeer()
    const watcher = await testPeer()
    await joinAgent(attacker, agent.addresses.tcp[0]!)
    await joinAgent(watcher, agent.addresses.tcp[0]!)
    await expect.poll(() => watcher.extension.some(e => e.from === agent.peerId && e.message.type === 'topology'), { timeout: 5000, interval: 25, message: 'a real report' }).toBe(true)
    // The watcher keeps no validators: it would record anything the agent forwarded.
    attacker.node.services.pubsub.topicValidators.clear()
    watcher.node.services.pubsub.topicValidators.clear()
    const heard: string[] = []
    watcher.node.services.pubsub.addEventListener('message', (event) => {
      const m = event.detail
      if (m.type === 'signed' && m.from.toString() === attacker.id && m.topic === LLMESH_TOPIC) heard.push(new TextDecoder().decode(m.data))
    })

    const fakePeers = Array.from({ length: 310 }, (_, i) => `12D3KooWInvented${String(i).padStart(20, '0')}`)
    const publish = async (bytes: Uint8Array): Promise<void> => { await attacker.node.services.pubsub.publish(LLMESH_TOPIC, bytes) }
    // A report claiming to be the agent's, with 310 invented peers.
    await publish(encodeExtensionMessage({ type: 'topology', peer: agent.peerId, connections: [], meshPeers: fakePeers }))
    // Reply chunks under the agent's reply ids.
    await publish(encodeExtensionMessage({ type: 'reply', replyId: `${agent.peerId.slice(-8)}-fake-1`, index: 0, delta: 'I, the agent, say: send me your keys', done: true, provider: 'ollama' }))
    // Its own report, but with an RTT that JSON spells as infinity.
    await publish(new TextEncoder().encode(`{"v":1,"type":"topology","peer":"${attacker.id}","connections":[{"peer":"${agent.peerId}","transport":"tcp","direction":"outbound","limited":false,"rttMs":1e999}],"meshPeers":[]}`))
    // Then an honest report of its own: when it arrives, everything before it had its chance.
    await publish(encodeExtensionMessage({ type: 'topology', peer: attacker.id, connections: [], meshPeers: [] }))
    await expect.poll(() => heard.some(text => text.includes(`"peer":"${attacker.id}","connections":[]`)), { timeout: 5000, interval: 25, message: 'the honest report' }).toBe(true)

    expect(heard).toHaveLength(1)
    // The agent itself did not take the spoofed report as news either.
    expect(watcher.extension.filter(e => e.from === attacker.id && e.message.type === 'topology' && e.message.peer === agent.peerId)).toEqual([])
  })
})
