import { describe, expect, it } from 'vitest'
import { deriveGraph, linkKey, receivedPath } from '../src/store/graph.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, BROWSER_B, SELF, TERMINAL } from './fake-context.ts'

function meshOfFour () {
  const store = createMeshStore()
  store.peers.setSelf(SELF, 'llmesh/0.1.0 browser (browser)')
  store.connection.beginConnect('/x', AGENT, 'first')
  store.peers.identified(AGENT, { agentVersion: 'llmesh/0.1.0 agent (node)', protocols: [], addresses: [] })
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

describe('deriveGraph against floods', () => {
  const FAKE = (i: number) => `12D3KooWFake${String(i).padStart(6, '0')}`

  it('never draws a reported "agent" as an agent, and draws unlinked agents not at all', () => {
    const store = meshOfFour()
    store.peers.topologyReport({ peer: TERMINAL, connections: [{ peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false, agentVersion: 'llmesh/x agent' }, { peer: FAKE(1), transport: 'ws', direction: 'inbound', limited: false, agentVersion: 'llmesh/x agent' }], meshPeers: [] })
    // An agent identified long ago that has no link any more.
    store.peers.identified(FAKE(2), { agentVersion: 'llmesh/0.1.0 agent (node)', protocols: [], addresses: [] })
    const graph = deriveGraph(store.state)
    const kinds = Object.fromEntries(graph.nodes.map(n => [n.id, n.kind]))
    expect(kinds[BROWSER_B]).toBe('browser')
    expect(kinds[FAKE(1)]).toBe('peer')
    expect(kinds[FAKE(2)]).toBeUndefined()
    expect(graph.nodes.filter(n => n.kind === 'agent').map(n => n.id)).toEqual([AGENT])
  })

  it('caps the nodes, keeping the ones nearest to us', () => {
    const store = meshOfFour()
    const connections = Array.from({ length: 400 }, (_, i) => ({ peer: FAKE(i), transport: 'ws' as const, direction: 'inbound' as const, limited: false }))
    store.peers.topologyReport({ peer: BROWSER_B, connections, meshPeers: [] })
    const graph = deriveGraph(store.state, 300)
    const ids = new Set(graph.nodes.map(n => n.id))
    expect(graph.nodes).toHaveLength(300)
    for (const id of [SELF, AGENT, BROWSER_B, TERMINAL]) expect(ids.has(id)).toBe(true)
    for (const l of graph.links) expect(ids.has(l.source) && ids.has(l.target)).toBe(true)
  })
})
