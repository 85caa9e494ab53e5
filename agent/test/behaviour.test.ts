import { afterAll, describe, expect, it, vi } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { CHAT_TOPIC, LLMESH_TOPIC, MAX_CHAT_BYTES } from '../../mesh/protocol.ts'
import { shortPeerId } from '../../mesh/names.ts'
import { handleDirectMessages } from '../../mesh/direct-message.ts'
import { joinAgent, sleep, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

const isGreetingFor = (id: string) => (text: string): boolean => text.startsWith('🛸 Welcome') && text.includes(shortPeerId(id))

describe('the agent as a chat peer', () => {
  it('greets a new peer once, not again when it reconnects', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    await peer.waitForChat(line => line.from === agent.peerId && isGreetingFor(peer.id)(line.text))

    for (let i = 0; i < 3; i++) {
      await peer.node.hangUp(agent.node.peerId)
      await joinAgent(peer, agent.addresses.tcp[0]!)
    }
    await sleep(500)
    expect(peer.chat.filter(line => line.from === agent.peerId && isGreetingFor(peer.id)(line.text))).toHaveLength(1)
  })

  it('answers "who is here?" with the real peer list, using the offline persona', async () => {
    const agent = await testAgent()
    const alice = await testPeer()
    const bob = await testPeer()
    await joinAgent(alice, agent.addresses.tcp[0]!)
    await joinAgent(bob, agent.addresses.ws[0]!)
    await alice.say('Alien X, who is here?')
    const answer = await alice.waitForChat(line => line.from === agent.peerId && !line.text.startsWith('🛸 Welcome'))
    expect(answer.text).toContain(alice.id.slice(-6))
    expect(answer.text).toContain(bob.id.slice(-6))
    expect(answer.text).toMatch(/\bws\b/)
    expect(answer.text).toMatch(/\btcp\b/)
    // The streamed chunks on the extension topic add up to the published answer.
    const chunks = await vi.waitFor(() => {
      const all = alice.extension.filter(e => e.from === agent.peerId && e.message.type === 'reply').map(e => e.message)
      if (!all.some(c => c.type === 'reply' && c.done)) throw new Error('still waiting for the final reply chunk')
      return all
    }, { timeout: 5000, interval: 25 })
    const text = chunks.map(c => (c.type === 'reply' ? c.delta : '')).join('')
    expect(text.trim()).toBe(answer.text)
    const first = chunks[0]
    expect(first?.type === 'reply' && first.provider).toBe('offline')
    expect(first?.type === 'reply' && first.inReplyTo?.from).toBe(alice.id)
  })

  it('announces its presence and publishes topology reports for the visualizer', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.ws[0]!)
    const presence = await vi.waitFor(() => {
      const found = peer.extension.find(e => e.message.type === 'presence')
      if (found == null) throw new Error('still waiting for presence')
      return found
    }, { timeout: 5000, interval: 25 })
    expect(presence.from).toBe(agent.peerId)
    expect(presence.message).toMatchObject({ role: 'agent', name: 'Alien X' })
    const report = await vi.waitFor(() => {
      const found = peer.extension.find(e => e.message.type === 'topology' && e.message.connections.some(c => c.peer === peer.id))
      if (found == null) throw new Error('still waiting for topology report')
      return found
    }, { timeout: 5000, interval: 25 })
    expect(report.message.type === 'topology' && report.message.connections.find(c => c.peer === peer.id)).toMatchObject({ transport: 'ws', direction: 'inbound', limited: false })
  })

  it('holds the rate limit: 50 messages in a second get a bounded number of answers and one polite notice, sent privately', async () => {
    const agent = await testAgent({ rateBurst: 3, rateRefillSeconds: 30 })
    const spammer = await testPeer()
    const other = await testPeer()
    const inbox: string[] = []
    await handleDirectMessages(spammer.node, 'test', (from, text) => { if (from.toString() === agent.peerId) inbox.push(text) })
    await joinAgent(spammer, agent.addresses.tcp[0]!)
    await joinAgent(other, agent.addresses.tcp[0]!)
    for (let i = 0; i < 50; i++) {
      await spammer.say(`Alien X, spam ${i}`)
      await sleep(15)
    }
    await expect.poll(() => inbox.find(text => text.includes('faster than I can think')), { timeout: 5000, interval: 25, message: 'rate notice by direct message' }).toBeDefined()
    // The other peer heard all 50 through the agent, so the agent had them all too.
    await expect.poll(() => other.chat.some(l => l.text === 'Alien X, spam 49'), { timeout: 5000, interval: 25, message: 'the last spam at the other peer' }).toBe(true)
    await sleep(1000)
    expect(agent.answersStarted()).toBeGreaterThanOrEqual(1)
    expect(agent.answersStarted()).toBeLessThanOrEqual(3)
    expect(inbox.filter(text => text.includes('faster than I can think'))).toHaveLength(1)
    // The notice is about the spammer alone: nobody else's chat carries it.
    expect(other.chat.filter(l => l.from === agent.peerId && l.text.includes('faster than I can think'))).toEqual([])

    // Another peer is still served.
    await other.say('Alien X, who is here?')
    await other.waitForChat(l => l.from === agent.peerId && l.text.includes(other.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
  })

  it('rejects oversized and malformed messages and keeps serving others', async () => {
    const agent = await testAgent()
    const attacker = await testPeer()
    const honest = await testPeer()
    await joinAgent(attacker, agent.addresses.tcp[0]!)
    await joinAgent(honest, agent.addresses.tcp[0]!)

    // The attacker skips its own validators so the bad bytes really go out on the wire,
    // and the honest peer has none, so it would record anything the agent forwarded.
    attacker.node.services.pubsub.topicValidators.clear()
    honest.node.services.pubsub.topicValidators.clear()
    const fromAttacker: string[] = []
    honest.node.services.pubsub.addEventListener('message', (event) => {
      if (event.detail.type === 'signed' && event.detail.from.toString() === attacker.id) fromAttacker.push(event.detail.topic)
    })
    const before = agent.answersStarted()
    // Silence proves something only if the garbage went to the agent.
    const sentTo = async (topic: string, data: Uint8Array): Promise<string[]> => (await attacker.node.services.pubsub.publish(topic, data)).recipients.map(String)
    expect(await sentTo(CHAT_TOPIC, new Uint8Array(MAX_CHAT_BYTES + 1).fill(97))).toContain(agent.peerId)
    expect(await sentTo(CHAT_TOPIC, Uint8Array.from([0xff, 0xfe, 0xfd]))).toContain(agent.peerId)
    expect(await sentTo(LLMESH_TOPIC, new TextEncoder().encode('{"v":1,"type":"presence","role":"agent"}'))).toContain(agent.peerId)
    await sleep(800)
    expect(agent.answersStarted()).toBe(before)

    await honest.say('Alien X, what is noise?')
    const answer = await honest.waitForChat(l => l.from === agent.peerId && /noise/i.test(l.text) && !l.text.startsWith('🛸 Welcome'))
    expect(answer.text.length).toBeGreaterThan(40)
    // The honest peer never saw the garbage either, on any topic: the agent did not forward it.
    expect(fromAttacker).toEqual([])
  })

  it('keeps hearing a peer that sent a message far over the size limit', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    peer.node.services.pubsub.topicValidators.clear()
    const oversized = await peer.node.services.pubsub.publish(CHAT_TOPIC, new Uint8Array(70 * 1024).fill(97))
    expect(oversized.recipients.map(String)).toContain(agent.peerId)
    await sleep(500)
    await peer.say('who is here?')
    await peer.waitForChat(l => l.from === agent.peerId && l.text.includes(peer.id.slice(-6)) && !l.text.startsWith('🛸 Welcome'))
  })

  it('keeps its peer id and WebRTC certificate hash across restarts', async () => {
    const certhash = (address: string): string | undefined => /\/certhash\/([^/]+)/.exec(address)?.[1]
    const first = await testAgent({ webrtc: true })
    const id = first.peerId
    await first.stop()
    const second = await testAgent({ webrtc: true }, first.dir)
    expect(second.peerId).toBe(id)
    expect(second.createdIdentity).toBe(false)
    expect(certhash(second.browserAddress)).toBeDefined()
    expect(certhash(second.browserAddress)).toBe(certhash(first.browserAddress))
    const peer = await testPeer()
    await peer.node.dial(multiaddr(second.addresses.tcp[0]!))
  })
})
