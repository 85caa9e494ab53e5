/**
 * Chat history in localStorage, per browser identity, so a reload shows the
 * conversation again and pending messages are still pending (and get sent).
 */
import { watch } from 'vue'
import type { MeshStore } from '../store/index.ts'
import type { ChatMessage } from '../store/types.ts'

const KEY_PREFIX = 'llmesh:history:v1:'
const SAVE_DELAY_MS = 400

export function historyKey (peerId: string): string {
  return `${KEY_PREFIX}${peerId}`
}

export function loadHistory (storage: Storage, peerId: string): ChatMessage[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(storage.getItem(historyKey(peerId)) ?? '[]')
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  return parsed.filter(isMessage).map(reviveMessage)
}

export function saveHistory (storage: Storage, peerId: string, messages: readonly ChatMessage[]): void {
  try {
    storage.setItem(historyKey(peerId), JSON.stringify(messages))
  } catch {
    // Quota exceeded: keep the newest half rather than nothing.
    try { storage.setItem(historyKey(peerId), JSON.stringify(messages.slice(-Math.floor(messages.length / 2)))) } catch {}
  }
}

/** Restore this identity's history into the store, then save changes as they happen. */
export function persistHistory (store: MeshStore, storage: Storage, peerId: string): () => void {
  store.chat.restore(loadHistory(storage, peerId))
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = watch(() => store.state.messages, () => {
    clearTimeout(timer)
    timer = setTimeout(() => { saveHistory(storage, peerId, store.state.messages) }, SAVE_DELAY_MS)
  }, { deep: true })
  return () => { clearTimeout(timer); stop() }
}

function isMessage (value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value == null) return false
  const m = value as Record<string, unknown>
  return typeof m.id === 'string' && typeof m.from === 'string' && typeof m.text === 'string' && typeof m.at === 'number' && typeof m.own === 'boolean'
}

/** A message that was mid-flight when the page closed is pending again; a stream that was cut off is over. */
function reviveMessage (m: ChatMessage): ChatMessage {
  const revived: ChatMessage = { ...m }
  if (revived.delivery?.state === 'sending') revived.delivery = { state: 'pending' }
  if (revived.reply != null) revived.reply = { ...revived.reply, streaming: false, parts: Array.isArray(revived.reply.parts) ? revived.reply.parts : [revived.text] }
  return revived
}
