/**
 * The composables over a real store and a recording controller: what the
 * components will show, without a DOM.
 */
import { effectScope } from 'vue'
import { afterEach, describe, expect, it } from 'vitest'
import { useChat } from '../src/composables/useChat.ts'
import { useInspector } from '../src/composables/useInspector.ts'
import { useMesh } from '../src/composables/useMesh.ts'
import { useTopology } from '../src/composables/useTopology.ts'
import { listLessons } from '../server/lesson-index.ts'
import { AGENT, SELF, TERMINAL, fakeContext } from './fake-context.ts'

let scope = effectScope()
afterEach(() => { scope.stop(); scope = effectScope() })
const inScope = <T>(fn: () => T): T => scope.run(fn)!

describe('useChat', () => {
  it('names senders, marks our own messages and says where they went', () => {
    const { context, store, calls } = fakeContext()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X', provider: 'offline' })
    const chat = inScope(() => useChat(context))
    store.chat.received({ from: TERMINAL, seq: '1', text: 'hi', at: 1 })
    const sent = store.chat.composed('hello all', { state: 'sent', recipients: 2 })
    store.chat.composed('anyone?', { state: 'sent', recipients: 0 })
    store.chat.composed('queued', { state: 'pending' })
    store.chat.replyChunk(AGENT, { replyId: 'r', inReplyTo: { from: SELF, seq: '9' }, index: 0, delta: 'Hi you', done: false, provider: 'offline' })

    expect(chat.lines.value.map(l => [l.senderName, l.senderKind, l.delivery, l.replyTo])).toEqual([
      ['…rmTerm', 'peer', '', undefined],
      ['you', 'self', 'sent to 2 peers', undefined],
      ['you', 'self', 'no peers yet', undefined],
      ['you', 'self', 'pending · sent when the mesh is back', undefined],
      ['Alien X', 'agent', '', 'you']
    ])
    expect(chat.pendingCount.value).toBe(1)

    chat.draft.value = 'typed'
    expect(chat.sendDraft()).toBe(true)
    expect(chat.draft.value).toBe('')
    chat.resend(sent.id)
    expect(calls).toEqual([['send', 'typed'], ['resend', sent.id]])
    chat.clear()
    expect(chat.lines.value).toHaveLength(0)
  })

  it('measures the draft against the chat limit and keeps it in the tab session', () => {
    const { context } = fakeContext()
    const chat = inScope(() => useChat(context))
    chat.draft.value = 'é'.repeat(2048)
    expect(chat.draftBytes.value).toBe(4096)
    expect(chat.tooLong.value).toBe(false)
    chat.draft.value += 'x'
    expect(chat.tooLong.value).toBe(true)
  })

  it('renders only an agent\'s text as Markdown, and folds long messages', () => {
    const { context, store } = fakeContext()
    store.peers.setSelf(SELF, 'x')
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X' })
    const chat = inScope(() => useChat(context))
    store.chat.received({ from: AGENT, seq: '1', text: '**hi**', at: 1 })
    store.chat.received({ from: TERMINAL, seq: '2', text: '**hi**\n'.repeat(20), at: 2 })
    expect(chat.lines.value.map(l => [l.markdown, l.long])).toEqual([[true, false], [false, true]])
  })

  it('lets people type while offline (queued), not before joining', () => {
    const { context, store } = fakeContext()
    const chat = inScope(() => useChat(context))
    expect(chat.canSend.value).toBe(false)
    store.connection.beginConnect('/x', AGENT, 'first')
    store.connection.synced('ws')
    store.connection.agentLost('gone')
    expect(chat.canSend.value).toBe(true)
  })
})

describe('useMesh', () => {
  it('counts down to the next retry and forwards actions', async () => {
    const { context, store, calls } = fakeContext()
    const mesh = inScope(() => useMesh(context))
    store.connection.beginConnect('/x', AGENT, 'first')
    store.peers.presence(AGENT, { role: 'agent', name: 'Alien X' })
    store.connection.synced('ws')
    store.connection.agentLost('gone')
    store.connection.retryScheduled(2, Date.now() + 4000)
    expect(mesh.phase.value).toBe('offline')
    expect(mesh.retryInSeconds.value).toBe(4)
    expect(mesh.agent.value?.name).toBe('Alien X')
    mesh.reconnectNow()
    await mesh.connect('/ip4/127.0.0.1/tcp/1/ws/p2p/x')
    expect(calls).toEqual([['reconnectNow'], ['connect', '/ip4/127.0.0.1/tcp/1/ws/p2p/x']])
  })
})

describe('useTopology', () => {
  it('shows details of the hovered peer, falling back to the selected one', () => {
    const { context, store } = fakeContext()
    store.peers.setSelf(SELF, 'x')
    store.peers.identified(AGENT, { agentVersion: 'llmesh/0.1.0 agent (node)', protocols: ['/ipfs/id/1.0.0'], addresses: ['/ip4/127.0.0.1/tcp/9092/ws'] })
    store.peers.ownConnections([{ id: 'c', peer: AGENT, remoteAddr: '/ip4/127.0.0.1/tcp/9092/ws', transport: 'ws', direction: 'outbound', limited: false, streams: [], openedAt: 0 }])
    store.peers.rtt(AGENT, 3)
    const topology = inScope(() => useTopology(context))
    expect(topology.graph.value.nodes).toHaveLength(2)
    topology.select(SELF)
    expect(topology.details.value?.isSelf).toBe(true)
    topology.hover(AGENT)
    expect(topology.details.value).toMatchObject({ peer: { id: AGENT, kind: 'agent', rttMs: 3, agentVersion: 'llmesh/0.1.0 agent (node)' }, links: [{ other: SELF, transport: 'ws' }] })
    topology.hover(undefined)
    topology.select(SELF)
    expect(topology.details.value).toBeUndefined()
  })
})

describe('useInspector', () => {
  it('explains each negotiated piece and links the lesson that teaches it', () => {
    // The list the server publishes, from the real catalogue: a topic no lesson names shows up here.
    const { context, store } = fakeContext(listLessons())
    store.peers.identified(AGENT, { protocols: ['/meshsub/1.2.0', '/ipfs/ping/1.0.0', '/x/unknown'], addresses: [] })
    store.peers.ownConnections([{ id: 'c', peer: AGENT, remoteAddr: '/ip4/127.0.0.1/tcp/9092/ws', transport: 'ws', direction: 'outbound', encryption: '/noise', muxer: '/yamux/1.0.0', limited: false, streams: ['/meshsub/1.2.0'], openedAt: 0 }])
    const inspector = inScope(() => useInspector(context))
    const rows = inspector.connections.value[0]!.rows
    const byValue = Object.fromEntries(rows.map(r => [r.value, r]))
    expect(byValue.ws).toMatchObject({ label: 'transport', lesson: { number: 1 } })
    expect(byValue['/noise']).toMatchObject({ label: 'encryption', explanation: expect.stringContaining('Noise'), lesson: { number: 2 } })
    expect(byValue['/yamux/1.0.0']).toMatchObject({ label: 'muxer', lesson: { number: 2 } })
    expect(byValue['/meshsub/1.2.0']).toMatchObject({ label: 'protocol', active: true, lesson: { number: 3 } })
    expect(byValue['/ipfs/ping/1.0.0']).toMatchObject({ active: false, lesson: { number: 2 } })
    expect(byValue['/x/unknown']!.explanation).toBeUndefined()
  })

  it('says WebRTC encrypts natively and needs no yamux', () => {
    const { context, store } = fakeContext()
    store.peers.ownConnections([{ id: 'c', peer: AGENT, remoteAddr: '/ip4/127.0.0.1/udp/1/webrtc-direct', transport: 'webrtc-direct', direction: 'outbound', encryption: 'native', limited: false, streams: [], openedAt: 0 }])
    const rows = inScope(() => useInspector(context)).connections.value[0]!.rows
    expect(rows.find(r => r.label === 'encryption')!.value).toBe('DTLS + /noise')
    expect(rows.find(r => r.label === 'muxer')!.explanation).toMatch(/data channels/)
  })
})
