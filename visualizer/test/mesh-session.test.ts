import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { browserPeerOptions } from '../../mesh/browser-options.ts'
import type { LanPolicy } from '../src/net/browser-node.ts'
import { MeshSession } from '../src/net/mesh-session.ts'
import { createMeshStore } from '../src/store/index.ts'

const AGENT_ADDRESS = '/ip4/127.0.0.1/tcp/9092/ws/p2p/12D3KooWGHV6ap5MNyUKPWvqkUjRivQDvuLvUk4sG1YA6Pte8qwr'

describe('MeshSession.connect', () => {
  it('fails the dialing stage, instead of hanging, when the node cannot be created', async () => {
    const store = createMeshStore()
    const session = new MeshSession(store, {
      createNode: async () => { throw new Error('WebRTC is not available in this browser') },
      fetchAgentInfo: async () => undefined
    })
    await expect(session.connect(AGENT_ADDRESS)).resolves.toBeUndefined()
    expect(store.state.connection.phase).toBe('failed')
    expect(store.state.connection.failure).toMatchObject({ stage: 'dialing' })
    expect(store.state.connection.failure!.reason).toContain('WebRTC is not available in this browser')
  })
})

describe('the LAN policy', () => {
  it('is read by the gater at dial time', () => {
    const lan = { allowLan: false }
    const gater = browserPeerOptions({ allowLan: () => lan.allowLan }).connectionGater
    const lanAddr = multiaddr('/ip4/192.168.1.20/tcp/9092/ws')
    expect(gater.denyDialMultiaddr(multiaddr('/ip4/127.0.0.1/tcp/9092/ws'))).toBe(false)
    expect(gater.denyDialMultiaddr(lanAddr)).toBe(true)
    lan.allowLan = true
    expect(gater.denyDialMultiaddr(lanAddr)).toBe(false)
  })

  it('is one flag the session updates on each connect', async () => {
    const seen: LanPolicy[] = []
    const states: boolean[] = []
    const session = new MeshSession(createMeshStore(), {
      createNode: async (lan) => { seen.push(lan); states.push(lan.allowLan); throw new Error('no node in this test') },
      fetchAgentInfo: async () => undefined
    })
    await session.connect(AGENT_ADDRESS)
    await session.connect(AGENT_ADDRESS.replace('127.0.0.1', '192.168.1.20'))
    expect(states).toEqual([false, true])
    expect(seen[0]).toBe(seen[1])
  })
})
