/**
 * The join stages against a real agent, from a real libp2p node built like the
 * browser's (WebSockets, Noise, Yamux, identify, the shared gossip settings).
 */
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterAll, describe, expect, it } from 'vitest'
import { installTopicValidators, meshGossipsub } from '../../mesh/gossip.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { stopAll, testAgent } from '../../agent/test/harness.ts'
import type { BrowserNode } from '../src/net/browser-node.ts'
import { JoinError, joinAgent } from '../src/net/dial-stages.ts'

afterAll(stopAll)

/** The browser's option set minus WebRTC, whose ICE would reach past loopback in Node. */
async function browserLikeNode (): Promise<BrowserNode> {
  const node = await createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: meshGossipsub({ emitSelf: true }) }
  })
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.subscribe(CHAT_TOPIC)
  node.services.pubsub.subscribe(LLMESH_TOPIC)
  return node as unknown as BrowserNode
}

function recorder () {
  const details = new Map<string, string | undefined>()
  return {
    details,
    report: {
      active: (name: string, detail?: string) => { details.set(name, detail) },
      done: (name: string, detail?: string) => { if (detail != null) details.set(name, detail) }
    }
  }
}

describe('joinAgent', () => {
  it('walks dialing → noise → yamux → identify → gossipsub on a fresh WebSocket connection', async () => {
    const agent = await testAgent()
    const node = await browserLikeNode()
    try {
      const { details, report } = recorder()
      const connection = await joinAgent(node, { address: agent.addresses.ws[0]!, transport: 'ws' }, agent.peerId, report)
      expect(connection.remotePeer.toString()).toBe(agent.peerId)
      expect(details.get('noise')).toBe('/noise over WebSocket')
      expect(details.get('yamux')).toBe('/yamux/1.0.0')
      expect(details.get('identify')).toMatch(/^llmesh\/\S+ agent \(node\)$/)
    } finally {
      await node.stop()
    }
  })

  it('names the transport of a reused connection, not the candidate\'s', async () => {
    const agent = await testAgent()
    const node = await browserLikeNode()
    try {
      await node.dial(multiaddr(agent.addresses.ws[0]!))
      const { details, report } = recorder()
      // A WebRTC-direct candidate (nobody listens there): libp2p reuses the open WebSocket instead.
      const candidate = `/ip4/127.0.0.1/udp/9/webrtc-direct/certhash/uEiCCtMVFRa4WEwTWFVTP1ORnm-k9AyTJ6YMUadSMYFg9sg/p2p/${agent.peerId}`
      await joinAgent(node, { address: candidate, transport: 'webrtc-direct' }, agent.peerId, report)
      expect(details.get('dialing')).toMatch(/reused the open WebSocket connection/)
      expect(details.get('noise')).toBe('/noise over WebSocket')
      expect(details.get('identify')).toMatch(/ agent \(node\)$/)
    } finally {
      await node.stop()
    }
  })

  it('fails at the dialing stage, in plain words, when nothing listens', async () => {
    const agent = await testAgent()
    const node = await browserLikeNode()
    await agent.stop()
    try {
      const failure = await joinAgent(node, { address: agent.addresses.ws[0]!, transport: 'ws' }, agent.peerId, recorder().report).catch((err: unknown) => err)
      expect(failure).toBeInstanceOf(JoinError)
      expect((failure as JoinError).stage).toBe('dialing')
      expect((failure as JoinError).message).toMatch(/Could not open a WebSocket to 127\.0\.0\.1:\d+/)
    } finally {
      await node.stop()
    }
  })
})
