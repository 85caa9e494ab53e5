import { describe, expect, it } from 'vitest'
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
