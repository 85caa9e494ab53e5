import { describe, expect, it } from 'vitest'
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
