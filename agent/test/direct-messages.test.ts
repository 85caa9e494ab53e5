import { afterAll, describe, expect, it, vi } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { handleDirectMessages, sendDirectMessage } from '../../mesh/direct-message.ts'
import { DM_PROTOCOL, MAX_CHAT_BYTES } from '../../mesh/protocol.ts'
import { DirectMessageRequest, DirectMessageResponse, Status } from '../../mesh/dm.ts'
import { pbStream } from '@libp2p/utils'
import { sleep, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

describe('direct messages (/universal-connectivity/dm/1.0.0)', () => {
  it('acknowledges a direct message and answers it privately with a direct message back', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    const inbox: Array<{ from: string, text: string }> = []
    await handleDirectMessages(peer.node, 'test', (from, text) => inbox.push({ from: from.toString(), text }))
    await peer.node.dial(multiaddr(agent.addresses.tcp[0]!))

    await sendDirectMessage(peer.node, agent.node.peerId, 'who is here?', 'test')
    const answer = await vi.waitFor(() => {
      const found = inbox.find(m => m.from === agent.peerId)
      if (found == null) throw new Error('still waiting for the direct answer')
      return found
    }, { timeout: 10_000, interval: 25 })
    expect(answer.text).toContain(peer.id.slice(-6))
    // Private: nothing of it went to the public chat, not even a little later.
    await sleep(500)
    expect(peer.chat.some(l => l.from === agent.peerId && l.text.includes('connected to me'))).toBe(false)
  })

  it('refuses an empty or oversized direct message with an ERROR status', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    await peer.node.dial(multiaddr(agent.addresses.tcp[0]!))
    for (const content of ['   ', 'x'.repeat(MAX_CHAT_BYTES + 1)]) {
      const stream = await peer.node.dialProtocol(agent.node.peerId, DM_PROTOCOL)
      const pb = pbStream(stream)
      await pb.write({ content, type: 'text/plain' }, DirectMessageRequest)
      const response = await pb.read(DirectMessageResponse)
      expect(response.status).toBe(Status.ERROR)
      expect(response.statusText).toMatch(/empty or over/)
    }
    expect(agent.answersStarted()).toBe(0)
  })
})
