import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import type { BrowserNode } from '../src/net/browser-node.ts'
import { joinAgent } from '../src/net/dial-stages.ts'

const AGENT = '12D3KooWGHV6ap5MNyUKPWvqkUjRivQDvuLvUk4sG1YA6Pte8qwr'
const WS = `/ip4/127.0.0.1/tcp/9092/ws/p2p/${AGENT}`
const WEBRTC_DIRECT = `/ip4/127.0.0.1/udp/9095/webrtc-direct/certhash/uEiCCtMVFRa4WEwTWFVTP1ORnm-k9AyTJ6YMUadSMYFg9sg/p2p/${AGENT}`

/** A node that already holds a WebSocket connection to the agent, which libp2p reuses for any dial. */
function nodeWithOpenWebSocket (): BrowserNode {
  const events = new EventTarget()
  const node = {
    dial: async (_addr: unknown, options: { onProgress?: (e: { type: string }) => void }) => {
      options.onProgress?.({ type: 'dial-queue:already-connected' })
      return { remoteAddr: multiaddr(WS), remotePeer: peerIdFromString(AGENT), encryption: '/noise', multiplexer: '/yamux/1.0.0' }
    },
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    peerStore: { get: async () => ({ metadata: new Map([['AgentVersion', new TextEncoder().encode('llmesh/0.1.0 agent (node)')]]) }) },
    services: {
      pubsub: Object.assign(new EventTarget(), {
        getSubscribers: (topic: string) => topic === CHAT_TOPIC ? [peerIdFromString(AGENT)] : []
      })
    }
  }
  return node as unknown as BrowserNode
}

describe('joinAgent', () => {
  it('names the transport of a reused connection, not the candidate\'s', async () => {
    const details = new Map<string, string | undefined>()
    await joinAgent(nodeWithOpenWebSocket(), { address: WEBRTC_DIRECT, transport: 'webrtc-direct' }, AGENT, {
      active: (name, detail) => { details.set(name, detail) },
      done: (name, detail) => { if (detail != null) details.set(name, detail) }
    })
    expect(details.get('dialing')).toMatch(/reused the open WebSocket connection/)
    expect(details.get('noise')).toBe('/noise over WebSocket')
    expect(details.get('yamux')).toBe('/yamux/1.0.0')
    expect(details.get('identify')).toBe('llmesh/0.1.0 agent (node)')
  })
})
