import { describe, expect, it } from 'vitest'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, BROWSER_B, SELF, TERMINAL } from './fake-context.ts'

describe('peers', () => {
  it('learns kinds from identify and presence, and never downgrades the agent', () => {
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'llmesh browser')
    store.peers.identified(TERMINAL, { agentVersion: 'llmesh/0.1.0 terminal (node)', protocols: ['/ipfs/ping/1.0.0', '/ipfs/id/1.0.0'], addresses: ['/ip4/127.0.0.1/tcp/1'] })
    expect(store.state.peers.get(TERMINAL)).toMatchObject({ kind: 'terminal', protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'] })
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
