import { afterAll, describe, expect, it, vi } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

describe('the agent is reachable over every transport', () => {
  it('accepts TCP, WebSocket and WebRTC-direct connections from a Node peer', async () => {
    const agent = await testAgent({ webrtc: true })
    const peer = await testPeer()
    const seen: Record<string, { encryption?: string, muxer?: string, remotePeer: string }> = {}
    for (const [name, addrs] of Object.entries(agent.addresses)) {
      expect(addrs.length, `agent lists a ${name} address`).toBeGreaterThan(0)
      const connection = await peer.node.dial(multiaddr(addrs[0]!))
      seen[name] = { encryption: connection.encryption, muxer: connection.multiplexer, remotePeer: connection.remotePeer.toString() }
      const rtt = await peer.node.services.ping.ping(multiaddr(addrs[0]!))
      expect(rtt).toBeGreaterThanOrEqual(0)
      await connection.close()
    }
    expect(seen.tcp).toEqual({ encryption: '/noise', muxer: '/yamux/1.0.0', remotePeer: agent.peerId })
    expect(seen.ws).toEqual({ encryption: '/noise', muxer: '/yamux/1.0.0', remotePeer: agent.peerId })
    // WebRTC brings its own encryption (DTLS) and multiplexing (data channels).
    expect(seen.webrtcDirect?.remotePeer).toBe(agent.peerId)
    expect(agent.browserAddress).toContain('/webrtc-direct/certhash/')
  })

  it('identifies itself as an LLMesh agent', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    const identified = new Promise<{ agentVersion?: string, protocols: string[] }>(resolve => {
      peer.node.addEventListener('peer:identify', (event) => {
        if (event.detail.peerId.equals(agent.node.peerId)) resolve(event.detail)
      })
    })
    await peer.node.dial(multiaddr(agent.addresses.tcp[0]!))
    const { agentVersion, protocols } = await identified
    expect(agentVersion).toMatch(/^llmesh\/\d+\.\d+\.\d+ agent \(node\)$/)
    expect(protocols).toEqual(expect.arrayContaining(['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/meshsub/1.1.0', '/libp2p/circuit/relay/0.2.0/hop']))
  })

  it('relays: a peer reaches another through the agent and they chat over the limited connection', async () => {
    const agent = await testAgent()
    // B listens only through the agent's relay, so the only way to reach it is /p2p-circuit.
    const b = await testPeer({ listen: ['/p2p-circuit'] })
    await b.node.dial(multiaddr(agent.addresses.tcp[0]!))
    const relayed = await vi.waitFor(() => {
      const found = b.node.getMultiaddrs().find(a => a.toString().includes('/p2p-circuit'))
      if (found == null) throw new Error('still waiting for a relay reservation')
      return found
    }, { timeout: 10_000, interval: 25 })

    const c = await testPeer()
    await c.node.dial(multiaddr(agent.addresses.tcp[0]!))
    const connection = await c.node.dial(relayed)
    expect(connection.remotePeer.toString()).toBe(b.id)
    expect(connection.limits, 'a relayed connection is limited').toBeDefined()
    expect(connection.remoteAddr.toString()).toContain('/p2p-circuit')

    // Gossipsub never forwards subscriptions, so C learning that B subscribes proves
    // that gossipsub runs over the limited connection itself.
    await expect.poll(() => c.node.services.pubsub.getSubscribers(CHAT_TOPIC).some(p => p.toString() === b.id), { timeout: 10_000, interval: 25, message: 'B subscribed via relay' }).toBe(true)
    // …and chat works between them.
    const text = `over the relay ${Math.random()}`
    expect(await c.say(text)).toBeGreaterThan(0)
    const line = await b.waitForChat(l => l.text === text)
    expect(line.from).toBe(c.id)
  })

  it('a peer joins the chat mesh over WebSockets', async () => {
    const agent = await testAgent()
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.ws[0]!)
  })
})
