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

describe('MeshSession.send', () => {
  const session = () => {
    const store = createMeshStore()
    return { store, session: new MeshSession(store, { createNode: async () => { throw new Error('no node in this test') }, fetchAgentInfo: async () => undefined }) }
  }

  it('refuses text over the chat limit: nothing is composed, nothing claims delivery', () => {
    const { store, session: s } = session()
    expect(s.send('x'.repeat(4097))).toBe(false)
    expect(store.state.messages).toHaveLength(0)
    expect(s.send('fits')).toBe(true)
    expect(store.state.messages[0]!.delivery).toEqual({ state: 'pending' })
  })

  it('tries again only what failed to publish, and never an oversize text', () => {
    const { store, session: s } = session()
    const restored = store.chat.composed('x'.repeat(5000), { state: 'failed', reason: 'longer than 4096 bytes' })
    s.resend(restored.id)
    expect(store.state.messages[0]!.delivery).toEqual({ state: 'failed', reason: 'longer than 4096 bytes' })
    const sent = store.chat.composed('already sent', { state: 'sent', recipients: 1, toAgent: true })
    s.resend(sent.id)
    expect(store.state.messages[1]!.delivery).toEqual({ state: 'sent', recipients: 1, toAgent: true })
    const failed = store.chat.composed('no stream', { state: 'failed', reason: 'no peer received it' })
    s.resend(failed.id)
    expect(store.state.messages[2]!.delivery).toEqual({ state: 'pending' })
  })
})
