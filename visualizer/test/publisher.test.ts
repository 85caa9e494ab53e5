/**
 * The browser's publisher on a real gossipsub node, heard by a real peer.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { gossipPeer } from './real-peer.ts'
import type { GossipPeer } from './real-peer.ts'
import { parseExtensionMessage } from '../../mesh/extension.ts'
import type { ExtensionMessage } from '../../mesh/extension.ts'
import { LLMESH_TOPIC } from '../../mesh/protocol.ts'
import type { BrowserNode } from '../src/net/browser-node.ts'
import { Publisher } from '../src/net/publisher.ts'
import type { NegotiatedConnection } from '../src/store/types.ts'

type Node = GossipPeer
let browser: Node, listener: Node
const heard: ExtensionMessage[] = []

const peer = async (): Promise<Node> => await gossipPeer()

beforeAll(async () => {
  [browser, listener] = await Promise.all([peer(), peer()])
  for (const node of [browser, listener]) node.services.pubsub.subscribe(LLMESH_TOPIC)
  listener.services.pubsub.addEventListener('message', (event) => {
    const message = parseExtensionMessage(event.detail.data)
    if (message != null) heard.push(message)
  })
  await browser.dial(listener.getMultiaddrs()[0]!)
  await vi.waitFor(() => { expect(browser.services.pubsub.getSubscribers(LLMESH_TOPIC)).toHaveLength(1) })
})

afterAll(async () => { await Promise.all([browser, listener].map(async n => { await n.stop() })) })

const peerId = (i: number): string => `12D3KooW${String(i).padStart(44, 'x')}`

describe('browser publisher', () => {
  it('a page connected to very many peers still publishes its topology, trimmed to the message limit', async () => {
    const ownConnections: NegotiatedConnection[] = Array.from({ length: 600 }, (_, i) => ({
      id: `c${i}`, peer: peerId(i), remoteAddr: '/ip4/127.0.0.1/tcp/1', transport: 'webrtc', direction: 'inbound', limited: false, streams: [], openedAt: 0
    }))
    const peers = new Map(ownConnections.map(c => [c.peer, { agentVersion: `llmesh/0.1.0 browser ${'.'.repeat(150)}`, rttMs: 12.5 }]))
    const publisher = new Publisher(browser as unknown as BrowserNode)
    await publisher.topology({ ownConnections, ownMeshPeers: ownConnections.map(c => c.peer), peers: peers as never })

    const report = await vi.waitFor(() => {
      const found = heard.find(m => m.type === 'topology')
      if (found?.type !== 'topology') throw new Error('no topology report heard yet')
      return found
    })
    expect(report.peer).toBe(browser.peerId.toString())
    expect(report.connections.length).toBeGreaterThan(50)
    expect(report.connections.length).toBeLessThan(600)
  })
})
