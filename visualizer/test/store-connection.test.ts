import { describe, expect, it } from 'vitest'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT } from './fake-context.ts'

const ADDRESS = `/ip4/127.0.0.1/tcp/9092/ws/p2p/${AGENT}`
const statuses = (store: ReturnType<typeof createMeshStore>) => Object.fromEntries(store.state.connection.stages.map(s => [s.name, s.status]))

describe('connection stages', () => {
  it('walks dialing → noise → yamux → identify → gossipsub and reaches MESH SYNCED', () => {
    const store = createMeshStore()
    store.connection.beginConnect(ADDRESS, AGENT, 'first')
    expect(store.state.connection.phase).toBe('connecting')
    store.connection.stageActive('dialing', 'WebSocket', 1000)
    store.connection.stageActive('noise', undefined, 1010)
    expect(statuses(store)).toEqual({ dialing: 'done', noise: 'active', yamux: 'waiting', identify: 'waiting', gossipsub: 'waiting' })
    expect(store.state.connection.stages[0]!.ms).toBe(10)
    store.connection.stageActive('yamux', undefined, 1020)
    store.connection.stageDone('yamux', '/yamux/1.0.0', 1025)
    store.connection.stageActive('identify', undefined, 1030)
    store.connection.stageActive('gossipsub', undefined, 1040)
    store.connection.synced('ws')
    expect(store.state.connection.phase).toBe('synced')
    expect(store.state.connection.transport).toBe('ws')
    expect(Object.values(statuses(store)).every(s => s === 'done')).toBe(true)
  })

  it('names the stage that failed and why', () => {
    const store = createMeshStore()
    store.connection.beginConnect(ADDRESS, AGENT, 'first')
    store.connection.stageActive('dialing')
    store.connection.stageActive('noise')
    store.connection.stageFailed('noise', 'The node at 127.0.0.1:9092 is not the peer named in /p2p/…')
    expect(store.state.connection.phase).toBe('failed')
    expect(store.state.connection.failure).toEqual({ stage: 'noise', reason: expect.stringContaining('not the peer') })
    expect(statuses(store).noise).toBe('failed')
  })

  it('says at once when the agent goes away, then counts retries', () => {
    const store = createMeshStore()
    store.connection.beginConnect(ADDRESS, AGENT, 'first')
    store.connection.synced('webrtc-direct')
    store.connection.agentLost('closed')
    expect(store.state.connection.phase).toBe('offline')
    expect(store.state.connection.transport).toBeUndefined()
    store.connection.retryScheduled(1, 5000)
    // A retry re-runs the stages without leaving the offline phase.
    store.connection.beginConnect(ADDRESS, AGENT, 'retry')
    store.connection.stageActive('dialing')
    expect(store.state.connection.phase).toBe('offline')
    expect(store.state.connection.retry).toEqual({ attempt: 1, at: 5000 })
    store.connection.synced('webrtc-direct')
    expect(store.state.connection.phase).toBe('synced')
    expect(store.state.connection.retry).toBeUndefined()
  })

  it('ignores a lost agent before it was ever synced', () => {
    const store = createMeshStore()
    store.connection.beginConnect(ADDRESS, AGENT, 'first')
    store.connection.agentLost('closed')
    expect(store.state.connection.phase).toBe('connecting')
  })
})

describe('the finished stage list', () => {
  it('gives every stage a time, also one that never said it started', () => {
    const store = createMeshStore()
    store.connection.beginConnect(ADDRESS, AGENT, 'resume')
    expect(store.state.connection.resumed).toBe(true)
    store.connection.stageActive('dialing', undefined, 1000)
    // WebRTC-direct: Noise and the muxer come with the transport, done at once.
    store.connection.stageDone('dialing', undefined, 1200)
    store.connection.stageDone('noise', undefined, 1200)
    store.connection.stageDone('yamux', undefined, 1200)
    store.connection.stageActive('identify', undefined, 1210)
    store.connection.stageActive('gossipsub', undefined, 1300)
    store.connection.synced('webrtc-direct', '/ip4/127.0.0.1/udp/1/webrtc-direct')
    expect(store.state.connection.stages.map(s => s.ms)).toEqual([200, 0, 0, 90, expect.any(Number)])
    expect(store.state.connection.usedAddress).toBe('/ip4/127.0.0.1/udp/1/webrtc-direct')
  })
})
