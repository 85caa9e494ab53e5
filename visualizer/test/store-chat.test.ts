import { describe, expect, it } from 'vitest'
import { MAX_MESSAGES } from '../src/store/chat-actions.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, SELF, TERMINAL } from './fake-context.ts'

function storeWithSelf () {
  const store = createMeshStore()
  store.peers.setSelf(SELF, 'llmesh browser')
  return store
}

const chunk = (index: number, delta: string, done = false) => ({ replyId: 'r1', index, delta, done, provider: 'ollama', model: 'llama3.2' })

describe('chat history', () => {
  it('keeps received messages once, keyed by sender and sequence number', () => {
    const store = storeWithSelf()
    store.chat.received({ from: TERMINAL, seq: '7', text: 'hello', at: 1 })
    store.chat.received({ from: TERMINAL, seq: '7', text: 'hello', at: 2 })
    store.chat.received({ from: TERMINAL, seq: '8', text: 'hello', at: 3 })
    expect(store.state.messages.map(m => m.id)).toEqual([`${TERMINAL}:7`, `${TERMINAL}:8`])
  })

  it('tracks the delivery of our own messages', () => {
    const store = storeWithSelf()
    const pending = store.chat.composed('typed while offline', { state: 'pending' })
    expect(pending.own).toBe(true)
    expect(pending.from).toBe(SELF)
    store.chat.setDelivery(pending.id, { state: 'sent', recipients: 2 })
    expect(store.state.messages[0]!.delivery).toEqual({ state: 'sent', recipients: 2 })
  })

  it('assembles a streamed reply from its chunks, even out of order', () => {
    const store = storeWithSelf()
    store.chat.replyChunk(AGENT, chunk(0, 'Greetings, '))
    store.chat.replyChunk(AGENT, chunk(2, 'traveller.'))
    store.chat.replyChunk(AGENT, chunk(1, 'star '))
    const reply = store.state.messages[0]!
    expect(reply.text).toBe('Greetings, star traveller.')
    expect(reply.reply).toMatchObject({ provider: 'ollama', model: 'llama3.2', streaming: true })
    store.chat.replyChunk(AGENT, chunk(3, '', true))
    expect(store.state.messages[0]!.reply!.streaming).toBe(false)
    expect(store.state.messages).toHaveLength(1)
  })

  it('folds the plain-chat copy of a streamed reply into its bubble', () => {
    const store = storeWithSelf()
    store.chat.replyChunk(AGENT, chunk(0, 'Hello there'))
    store.chat.replyChunk(AGENT, chunk(1, ', friend.', true))
    // The agent adds a small mark when it would otherwise repeat itself.
    store.chat.received({ from: AGENT, seq: '42', text: 'Hello there, friend. ✧', at: 5 })
    expect(store.state.messages).toHaveLength(1)
    expect(store.state.messages[0]!.text).toBe('Hello there, friend. ✧')
    expect(store.state.messages[0]!.chatId).toBe(`${AGENT}:42`)
    // A second copy (or a later part of a split answer) does not appear twice either.
    store.chat.received({ from: AGENT, seq: '43', text: 'friend.', at: 6 })
    expect(store.state.messages).toHaveLength(1)
  })

  it('keeps an unrelated message from the agent', () => {
    const store = storeWithSelf()
    store.chat.replyChunk(AGENT, chunk(0, 'An answer', true))
    store.chat.received({ from: AGENT, seq: '1', text: 'Welcome to the mesh!', at: 5 })
    expect(store.state.messages).toHaveLength(2)
  })

  it('stops a reply streaming after 30 s without a chunk, even without done', () => {
    const store = createMeshStore()
    const chunk = (index: number) => ({ replyId: 'r', index, delta: `p${index} `, done: false, provider: 'x' })
    store.chat.replyChunk(AGENT, chunk(0), 1000)
    store.chat.replyChunk(AGENT, chunk(1), 20_000)
    store.chat.expireStreams(45_000)
    expect(store.state.messages[0]!.reply!.streaming).toBe(true)
    store.chat.expireStreams(50_001)
    expect(store.state.messages[0]!.reply!.streaming).toBe(false)
  })

  it('remembers what a reply answers', () => {
    const store = storeWithSelf()
    store.chat.replyChunk(AGENT, { ...chunk(0, 'Yes'), inReplyTo: { from: TERMINAL, seq: '3' } })
    expect(store.state.messages[0]!.inReplyTo).toEqual({ from: TERMINAL, seq: '3' })
  })

  it('bounds the history and can clear it', () => {
    const store = storeWithSelf()
    for (let i = 0; i < MAX_MESSAGES + 20; i++) store.chat.received({ from: TERMINAL, seq: String(i), text: `m${i}`, at: i })
    expect(store.state.messages).toHaveLength(MAX_MESSAGES)
    expect(store.state.messages[0]!.text).toBe('m20')
    store.chat.clear()
    expect(store.state.messages).toHaveLength(0)
  })
})
