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
})
