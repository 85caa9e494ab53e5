import { describe, expect, it } from 'vitest'
import { deriveGraph } from '../src/store/graph.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, BROWSER_B, SELF, TERMINAL } from './fake-context.ts'

describe('peers', () => {
  it('learns kinds from identify and presence, and never downgrades the agent', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'llmesh browser')
    store.peers.identified(TERMINAL, { agentVersion: 'llmesh/0.1.0 terminal (node)', protocols: ['/ipfs/ping/1.0.0', '/ipfs/id/1.0.0'], addresses: ['/ip4/127.0.0.1/tcp/1'] })
    expect(store.state.peers.get(TERMINAL)).toMatchObject({ kind: 'terminal', protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'] })
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X', provider: 'ollama', model: 'llama3.2' })
    store.peers.identified(AGENT, { agentVersion: 'go-libp2p', protocols: [], addresses: [] })
    expect(store.state.peers.get(AGENT)).toMatchObject({ kind: 'agent', name: 'Alien X', provider: 'ollama', model: 'llama3.2' })
    expect(store.state.peers.get(SELF)!.kind).toBe('self')
  })

  it('keeps one report per reporter, ignores reports about ourselves as reporter, and expires stale ones', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.peers.topologyReport({ peer: AGENT, connections: [{ peer: TERMINAL, transport: 'tcp', direction: 'inbound', limited: false, agentVersion: 'llmesh/0.1.0 terminal (node)' }], meshPeers: [TERMINAL] }, 1000)
    store.peers.topologyReport({ peer: AGENT, connections: [{ peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] }, 2000)
    store.peers.topologyReport({ peer: SELF, connections: [], meshPeers: [] }, 2000)
    expect([...store.state.reports.keys()]).toEqual([AGENT])
    expect(store.state.reports.get(AGENT)!.connections[0]!.peer).toBe(BROWSER_B)
    expect(store.state.peers.get(TERMINAL)!.kind).toBe('terminal')
    store.peers.expireReports(30_000, 20_000)
    expect(store.state.reports.size).toBe(0)
  })

  it('does not let presence or a topology report make anyone an agent', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.identified(BROWSER_B, { agentVersion: 'llmesh/0.1.0 browser (browser)', protocols: [], addresses: [] })
    store.peers.presence(TERMINAL, { role: 'agent', name: 'Alien X', provider: 'openai', model: 'gpt-9-spoof' })
    store.peers.topologyReport({ peer: TERMINAL, connections: [
      { peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false, agentVersion: 'llmesh/x agent' },
      { peer: '12D3KooWFakeFake', transport: 'ws', direction: 'inbound', limited: false, agentVersion: 'llmesh/x agent' }
    ], meshPeers: [] })
    expect(store.state.peers.get(TERMINAL)).toMatchObject({ kind: 'peer', name: `Alien X? …${TERMINAL.slice(-6)}` })
    expect(store.state.peers.get(BROWSER_B)!.kind).toBe('browser')
    expect(store.state.peers.get('12D3KooWFakeFake')!.kind).toBe('peer')
    // The agent we dialed keeps its own name, even before identify.
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X' })
    expect(store.state.peers.get(AGENT)).toMatchObject({ kind: 'agent', name: 'Alien X' })
    // Identify on our own connection is proof: the claimed name then shows as is.
    store.peers.identified(TERMINAL, { agentVersion: 'llmesh/0.1.0 agent (node)', protocols: [], addresses: [] })
    expect(store.state.peers.get(TERMINAL)).toMatchObject({ kind: 'agent', name: 'Alien X' })
  })

  it('evicts agents like other peers, so the peer cap holds', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.identified(AGENT, { agentVersion: 'llmesh/0.1.0 agent (node)', protocols: [], addresses: [] })
    for (let i = 0; i < 1200; i++) store.peers.identified(`12D3KooWA${i}`, { agentVersion: 'llmesh/x agent', protocols: [], addresses: [] })
    for (let r = 0; r < 5; r++) {
      const connections = Array.from({ length: 400 }, (_, j) => ({ peer: `F${r}x${j}`, transport: 'ws' as const, direction: 'inbound' as const, limited: false, agentVersion: 'llmesh/x agent' }))
      store.peers.topologyReport({ peer: `12D3KooWR${r}`, connections, meshPeers: [] }, 1000 + r)
    }
    expect(store.state.peers.size).toBeLessThanOrEqual(1000)
    expect(store.state.peers.has(SELF)).toBe(true)
    expect(store.state.peers.has(AGENT)).toBe(true)
  })

  it('records RTT from our pings', () => {
    const store = createMeshStore()
    store.peers.ensurePeer(AGENT)
    store.peers.rtt(AGENT, 1.234)
    expect(store.state.peers.get(AGENT)!.rttMs).toBe(1.2)
  })
})

describe('pulses', () => {
  it('starts a pulse per message path and lets it fade', () => {
    const store = createMeshStore()
    store.pulses.pulse([TERMINAL, AGENT, SELF], 1000)
    store.pulses.pulse([SELF], 1000)
    expect(store.state.pulses).toHaveLength(1)
    store.pulses.expirePulses(1000 + 5000)
    expect(store.state.pulses).toHaveLength(0)
  })
})

describe('who is doubted, who has left', () => {
  it('shows a browser under its short id, and doubts only an unverified agent claim', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.presence(BROWSER_B, { role: 'browser', name: '…owBrow' })
    expect(store.state.peers.get(BROWSER_B)!.name).toBe('…owBrow')
    store.peers.presence(TERMINAL, { role: 'agent', name: 'Alien X' })
    expect(store.state.peers.get(TERMINAL)!.name).toBe('Alien X? …rmTerm')
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X' })
    expect(store.state.peers.get(AGENT)!.name).toBe('Alien X')
  })

  it('drops a peer from the picture on its goodbye, though older reports still list it, until it is heard again', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.ownConnections([{ id: 'c', peer: AGENT, remoteAddr: '/ip4/127.0.0.1/tcp/1/ws', transport: 'ws', direction: 'outbound', limited: false, streams: [], openedAt: 0 }])
    store.peers.topologyReport({ peer: AGENT, connections: [{ peer: SELF, transport: 'ws', direction: 'inbound', limited: false }, { peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] }, 1000)
    store.peers.topologyReport({ peer: BROWSER_B, connections: [{ peer: TERMINAL, transport: 'webrtc', direction: 'outbound', limited: false }], meshPeers: [] }, 1000)
    const drawn = () => deriveGraph(store.state).nodes.map(n => n.id).sort()
    expect(drawn()).toEqual([SELF, AGENT, BROWSER_B, TERMINAL].sort())
    store.peers.goodbye(BROWSER_B, 2000)
    expect(drawn()).toEqual([SELF, AGENT].sort())
    // The agent's next report may still list it for a moment: it stays gone.
    store.peers.topologyReport({ peer: AGENT, connections: [{ peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] }, 2100)
    expect(drawn()).toEqual([SELF, AGENT].sort())
    store.peers.heardFrom(BROWSER_B)
    expect(drawn()).toEqual([SELF, AGENT, BROWSER_B].sort())
  })

  it('lets a reporter whose reports stopped leave the picture, unless we are connected to it', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.topologyReport({ peer: BROWSER_B, connections: [{ peer: TERMINAL, transport: 'webrtc', direction: 'outbound', limited: false }], meshPeers: [] }, 1000)
    store.peers.topologyReport({ peer: AGENT, connections: [{ peer: BROWSER_B, transport: 'ws', direction: 'inbound', limited: false }, { peer: SELF, transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] }, 25_000)
    store.peers.expireReports(25_000, 20_000)
    expect(store.state.reports.has(BROWSER_B)).toBe(false)
    expect(deriveGraph(store.state).nodes.map(n => n.id)).not.toContain(BROWSER_B)
    // A reporter we are linked to ourselves stays: its silence is not absence.
    store.peers.topologyReport({ peer: TERMINAL, connections: [], meshPeers: [] }, 25_000)
    store.peers.ownConnections([{ id: 't', peer: TERMINAL, remoteAddr: '/ip4/127.0.0.1/tcp/2', transport: 'tcp', direction: 'outbound', limited: false, streams: [], openedAt: 1 }])
    store.peers.expireReports(50_000, 20_000)
    expect(deriveGraph(store.state).nodes.map(n => n.id)).toContain(TERMINAL)
  })
})
