import { describe, expect, it } from 'vitest'
import { deriveGraph, linkKey, receivedPath } from '../src/store/graph.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, BROWSER_B, SELF, TERMINAL } from './fake-context.ts'

function meshOfFour () {
  const store = createMeshStore()
  store.peers.setSelf(SELF, 'llmesh/0.1.0 browser (browser)')
  store.peers.presence(AGENT, { role: 'agent', name: 'Alien X' })
  store.peers.ownConnections([{ id: 'c1', peer: AGENT, remoteAddr: '/ip4/127.0.0.1/udp/1/webrtc-direct', transport: 'webrtc-direct', direction: 'outbound', limited: false, streams: [], openedAt: 0 }])
  store.peers.ownMeshPeers([AGENT])
  store.peers.topologyReport({
    peer: AGENT,
    connections: [
      { peer: SELF, transport: 'webrtc-direct', direction: 'inbound', limited: false },
      { peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false, agentVersion: 'llmesh/0.1.0 browser (browser)' },
      { peer: TERMINAL, transport: 'tcp', direction: 'inbound', limited: false, agentVersion: 'llmesh/0.1.0 terminal (node)' }
    ],
    meshPeers: [SELF, TERMINAL]
  })
  return store
}

describe('deriveGraph', () => {
  it('draws self, the agent and every reported peer, with their kinds', () => {
    const graph = deriveGraph(meshOfFour().state)
    const kinds = Object.fromEntries(graph.nodes.map(n => [n.id, n.kind]))
    expect(kinds).toEqual({ [SELF]: 'self', [AGENT]: 'agent', [BROWSER_B]: 'browser', [TERMINAL]: 'terminal' })
  })

  it('draws one edge per connected pair, styled by transport, with gossipsub mesh links marked', () => {
    const graph = deriveGraph(meshOfFour().state)
    const edges = Object.fromEntries(graph.links.map(l => [l.key, [l.transport, l.gossipMesh]]))
    expect(edges).toEqual({
      [linkKey(SELF, AGENT)]: ['webrtc-direct', true],
      [linkKey(AGENT, BROWSER_B)]: ['ws', false],
      [linkKey(AGENT, TERMINAL)]: ['tcp', true]
    })
  })

  it('prefers a direct connection over a relayed one for the same pair', () => {
    const store = meshOfFour()
    store.peers.topologyReport({ peer: BROWSER_B, connections: [{ peer: TERMINAL, transport: 'relay', direction: 'outbound', limited: true }], meshPeers: [] })
    store.peers.topologyReport({ peer: TERMINAL, connections: [{ peer: BROWSER_B, transport: 'webrtc', direction: 'inbound', limited: false }], meshPeers: [] })
    const link = deriveGraph(store.state).links.find(l => l.key === linkKey(BROWSER_B, TERMINAL))
    expect(link).toMatchObject({ transport: 'webrtc', limited: false })
  })

  it('drops the agent\'s links when its report is forgotten, but keeps the agent', () => {
    const store = meshOfFour()
    store.peers.forgetReport(AGENT)
    store.peers.ownConnections([])
    const graph = deriveGraph(store.state)
    expect(graph.links).toEqual([])
    expect(graph.nodes.map(n => n.id).sort()).toEqual([AGENT, SELF].sort())
  })
})

describe('receivedPath', () => {
  it('is author → us when the author is our neighbour, else author → forwarder → us', () => {
    expect(receivedPath(AGENT, AGENT, SELF)).toEqual([AGENT, SELF])
    expect(receivedPath(TERMINAL, AGENT, SELF)).toEqual([TERMINAL, AGENT, SELF])
  })
})
