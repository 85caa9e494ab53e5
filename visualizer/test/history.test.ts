import { nextTick } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { historyKey, loadHistory, persistHistory, saveHistory } from '../src/persist/chat-history.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, SELF } from './fake-context.ts'

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>()
  get length () { return this.items.size }
  clear (): void { this.items.clear() }
  getItem (key: string): string | null { return this.items.get(key) ?? null }
  key (index: number): string | null { return [...this.items.keys()][index] ?? null }
  removeItem (key: string): void { this.items.delete(key) }
  setItem (key: string, value: string): void { this.items.set(key, value) }
}

describe('chat history in local storage', () => {
  it('survives a reload: pending stays pending, a message caught mid-send is pending again', () => {
    const storage = new MemoryStorage()
    const store = createMeshStore()
    store.peers.setSelf(SELF, 'x')
    store.chat.composed('queued', { state: 'pending' })
    store.chat.composed('in flight', { state: 'sending' })
    store.chat.replyChunk(AGENT, { replyId: 'r', index: 0, delta: 'half an answ', done: false, provider: 'ollama' })
    saveHistory(storage, SELF, store.state.messages)

    const restored = loadHistory(storage, SELF)
    expect(restored.map(m => m.delivery?.state)).toEqual(['pending', 'pending', undefined])
    expect(restored[2]!.reply!.streaming).toBe(false)
    expect(restored[2]!.text).toBe('half an answ')
    // Another identity (another tab) has its own history.
    expect(loadHistory(storage, AGENT)).toEqual([])
  })

  it('ignores damaged entries', () => {
    const storage = new MemoryStorage()
    storage.setItem(historyKey(SELF), '{not json')
    expect(loadHistory(storage, SELF)).toEqual([])
    storage.setItem(historyKey(SELF), JSON.stringify([{ id: 1 }, { id: 'a', from: 'b', text: 'c', at: 1, own: false }]))
    expect(loadHistory(storage, SELF)).toHaveLength(1)
    // Damage deeper down counts too: a delivery or a reply of the wrong shape is not shown.
    storage.setItem(historyKey(SELF), JSON.stringify([
      { id: 'x', from: 'b', text: 'c', at: 1, own: true, delivery: { state: 'sent' } },
      { id: 'y', from: 'b', text: 'c', at: 1, own: false, reply: { replyId: 'r', provider: 'offline', streaming: false, parts: 'not a list' } },
      { id: 'z', from: 'b', text: 'kept', at: 1, own: true, delivery: { state: 'sent', recipients: 2, toAgent: true } }
    ]))
    expect(loadHistory(storage, SELF).map(m => m.id)).toEqual(['z'])
  })

  it('restores into the store and saves changes, cleared history included', async () => {
    vi.useFakeTimers()
    try {
      const storage = new MemoryStorage()
      storage.setItem(historyKey(SELF), JSON.stringify([{ id: 'a', from: AGENT, text: 'earlier', at: 1, own: false }]))
      const store = createMeshStore()
      const stop = persistHistory(store, storage, SELF)
      expect(store.state.messages.map(m => m.text)).toEqual(['earlier'])
      store.chat.composed('new', { state: 'pending' })
      await nextTick()
      vi.advanceTimersByTime(1000)
      expect(loadHistory(storage, SELF).map(m => m.text)).toEqual(['earlier', 'new'])
      store.chat.clear()
      await nextTick()
      vi.advanceTimersByTime(1000)
      expect(loadHistory(storage, SELF)).toEqual([])
      stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('saves a pending change at once when stopped (the page is going away)', async () => {
    vi.useFakeTimers()
    try {
      const storage = new MemoryStorage()
      const store = createMeshStore()
      const stop = persistHistory(store, storage, SELF)
      store.chat.composed('just before reload', { state: 'pending' })
      await nextTick()
      stop()
      expect(loadHistory(storage, SELF).map(m => m.text)).toEqual(['just before reload'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('caps reply chunks and text, and saves a reply as its joined text', () => {
    const storage = new MemoryStorage()
    const store = createMeshStore()
    const chunk = (index: number, delta: string, done = false) => ({ replyId: 'r', index, delta, done, provider: 'x' })
    store.chat.replyChunk(AGENT, chunk(0, 'a'))
    store.chat.replyChunk(AGENT, chunk(100_000, 'far away'))
    store.chat.replyChunk(AGENT, chunk(1, 'b'.repeat(70_000)))
    store.chat.replyChunk(AGENT, chunk(2, 'c'))
    expect(store.chat.replyChunk(AGENT, { ...chunk(100_000, 'x'), replyId: 'other' })).toBeUndefined()
    const reply = store.state.messages[0]!
    expect(store.state.messages).toHaveLength(1)
    expect(reply.reply!.parts.length).toBeLessThanOrEqual(2000)
    expect(reply.text).toBe('ac')
    store.chat.replyChunk(AGENT, chunk(200_000, '', true))
    expect(reply.reply!.streaming).toBe(false)
    saveHistory(storage, SELF, store.state.messages)
    const raw = storage.getItem(historyKey(SELF))!
    expect(raw.length).toBeLessThan(1000)
    expect(raw).not.toContain('null')
    expect(loadHistory(storage, SELF)[0]!.text).toBe('ac')
  })

  it('says once when the storage is full, and keeps the history in memory', () => {
    const storage = new MemoryStorage()
    storage.setItem = () => { throw new DOMException('full', 'QuotaExceededError') }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const store = createMeshStore()
      store.chat.composed('kept', { state: 'pending' })
      expect(saveHistory(storage, 'quota-peer', store.state.messages)).toBe(false)
      expect(saveHistory(storage, 'quota-peer', store.state.messages)).toBe(false)
      expect(warn).toHaveBeenCalledTimes(1)
      expect(store.state.messages.map(m => m.text)).toEqual(['kept'])
    } finally {
      warn.mockRestore()
    }
  })
})
