/**
 * Catching up from the agent's history after a (re)join, and the honest
 * delivery of our own messages: the store side.
 */
import { describe, expect, it } from 'vitest'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, BROWSER_B, SELF, TERMINAL } from './fake-context.ts'

function storeWithSelf () {
  const store = createMeshStore()
  store.peers.setSelf(SELF, 'llmesh browser')
  return store
}
const texts = (store: ReturnType<typeof createMeshStore>) => store.state.messages.map(m => m.text)

describe('catching up from the agent\'s history', () => {
  it('fills the gap in the agent\'s order, after what we already hold, without duplicates', () => {
    const store = storeWithSelf()
    store.chat.received({ from: TERMINAL, seq: '1', text: 'before we left', at: 1 })
    const own = store.chat.composed('mine, before we left', { state: 'sending' }, 2)
    store.chat.published(own.id, { seq: '50', recipients: 1, toAgent: true })
    // Back again: something arrived live before the history answer.
    store.chat.received({ from: BROWSER_B, seq: '9', text: 'live after rejoining', at: 100 })
    const added = store.chat.caughtUp([
      { from: TERMINAL, seq: '1', text: 'before we left', at: 90 },
      { from: SELF, seq: '50', text: 'mine, before we left', at: 90 },
      { from: BROWSER_B, seq: '7', text: 'while we were away', at: 90 },
      { from: TERMINAL, seq: '2', text: 'also while away', at: 90 },
      { from: BROWSER_B, seq: '9', text: 'live after rejoining', at: 90 }
    ], 90)
    expect(added).toBe(2)
    expect(texts(store)).toEqual(['before we left', 'mine, before we left', 'while we were away', 'also while away', 'live after rejoining'])
    expect(store.state.messages.filter(m => m.backfilled).map(m => m.id)).toEqual([`${BROWSER_B}:7`, `${TERMINAL}:2`])
    // The same history again (the next rejoin) adds nothing; nor does a live copy of a caught-up message.
    expect(store.chat.caughtUp([{ from: BROWSER_B, seq: '7', text: 'while we were away', at: 1 }], 200)).toBe(0)
    expect(store.chat.received({ from: TERMINAL, seq: '2', text: 'also while away', at: 300 })).toBeUndefined()
    expect(store.state.messages).toHaveLength(5)
  })

  it('puts a gap it cannot anchor before what arrived live since the join', () => {
    const store = storeWithSelf()
    store.chat.received({ from: TERMINAL, seq: '1', text: 'old, saved on this device', at: 1 })
    store.chat.received({ from: AGENT, seq: '5', text: 'live since the join', at: 1000 })
    store.chat.caughtUp([{ from: BROWSER_B, seq: '3', text: 'said while we were away', at: 0 }], 999)
    expect(texts(store)).toEqual(['old, saved on this device', 'said while we were away', 'live since the join'])
  })

  it('knows a streamed reply by its plain-chat copy, and our own older messages as ours', () => {
    const store = storeWithSelf()
    store.connection.beginConnect('/x', AGENT, 'first')
    store.chat.replyChunk(AGENT, { replyId: 'r', index: 0, delta: 'An answer.', done: true, provider: 'offline' }, 10)
    store.chat.caughtUp([
      { from: AGENT, seq: '11', text: 'An answer.', at: 20 },
      { from: SELF, seq: '12', text: 'sent from this identity, not saved here', at: 20 }
    ], 20)
    expect(store.state.messages).toHaveLength(2)
    expect(store.state.messages[0]!.chatId).toBe(`${AGENT}:11`)
    expect(store.state.messages[1]).toMatchObject({ own: true, seq: '12', backfilled: true })
    store.chat.caughtUp([{ from: AGENT, seq: '11', text: 'An answer.', at: 30 }], 30)
    expect(store.state.messages).toHaveLength(2)
  })

  it('adopts our own message saved before sequence numbers were kept, instead of showing it twice', () => {
    const store = storeWithSelf()
    store.chat.composed('saved by an older version', { state: 'sent', recipients: 1 }, 5)
    store.chat.caughtUp([{ from: SELF, seq: '40', text: 'saved by an older version\u200b', at: 50 }], 50)
    expect(store.state.messages).toHaveLength(1)
    expect(store.state.messages[0]!.seq).toBe('40')
  })
})

describe('delivery of our own messages', () => {
  it('comes from the publish result, then from the agent\'s history', () => {
    const store = storeWithSelf()
    const m = store.chat.composed('hello', { state: 'sending' })
    store.chat.agentReceipt(m.id, true)
    expect(m.delivery).toEqual({ state: 'sending' })
    store.chat.published(m.id, { seq: '77', recipients: 3, toAgent: true })
    expect(store.state.messages[0]).toMatchObject({ seq: '77', delivery: { state: 'sent', recipients: 3, toAgent: true } })
    store.chat.agentReceipt(m.id, true)
    expect(store.state.messages[0]!.delivery).toMatchObject({ agentHas: true })
  })
})
