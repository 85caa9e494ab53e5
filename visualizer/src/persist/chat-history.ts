/**
 * Chat history in localStorage, per browser identity, so a reload shows the
 * conversation again and pending messages are still pending (and get sent).
 */
import * as v from 'valibot'
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
  // An entry an older version (or a hand edit) left in another shape is skipped, not trusted.
  return parsed.flatMap(entry => {
    const result = v.safeParse(storedMessage, entry)
    return result.success ? [reviveMessage(result.output)] : []
  })
}

/** What a saved message must look like to be shown again (see ChatMessage in store/types.ts). */
const messageRef = v.object({ from: v.string(), seq: v.string() })
const storedMessage = v.object({
  id: v.string(),
  from: v.string(),
  text: v.string(),
  at: v.number(),
  own: v.boolean(),
  delivery: v.optional(v.variant('state', [
    v.object({ state: v.literal('pending') }),
    v.object({ state: v.literal('sending') }),
    v.object({ state: v.literal('sent'), recipients: v.number(), toAgent: v.optional(v.boolean()), agentHas: v.optional(v.boolean()) }),
    v.object({ state: v.literal('failed'), reason: v.string() })
  ])),
  reply: v.optional(v.object({
    replyId: v.string(),
    provider: v.string(),
    model: v.optional(v.string()),
    streaming: v.boolean(),
    error: v.optional(v.string()),
    parts: v.array(v.string()),
    lastChunkAt: v.optional(v.number())
  })),
  chatId: v.optional(v.string()),
  inReplyTo: v.optional(messageRef),
  seq: v.optional(v.string()),
  backfilled: v.optional(v.boolean())
})

/** Storage keys we already warned about: a full quota is said once, not at every save. */
const warned = new Set<string>()

/**
 * Save the history; a streamed reply is saved as its joined text (the parts
 * array of chunks is only needed while it streams). Returns false when the
 * storage refused even the newest half; the in-memory history stays as it is.
 */
export function saveHistory (storage: Storage, peerId: string, messages: readonly ChatMessage[]): boolean {
  const key = historyKey(peerId)
  const stored = messages.map(forStorage)
  try {
    storage.setItem(key, JSON.stringify(stored))
    return true
  } catch (err) {
    // Quota exceeded: keep the newest half rather than nothing.
    let saved = false
    try { storage.setItem(key, JSON.stringify(stored.slice(-Math.floor(stored.length / 2)))); saved = true } catch {}
    if (!warned.has(key)) {
      warned.add(key)
      console.warn(`LLMesh: could not save the chat history (${(err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? err}); ${saved ? 'saved only the newest half' : 'it is kept in memory only'}`)
    }
    return saved
  }
}

function forStorage (m: ChatMessage): ChatMessage {
  if (m.reply == null) return m
  const { parts: _parts, ...reply } = m.reply
  return { ...m, reply: { ...reply, parts: [] } }
}

/** Restore this identity's history into the store, then save changes as they happen. */
export function persistHistory (store: MeshStore, storage: Storage, peerId: string): () => void {
  store.chat.restore(loadHistory(storage, peerId))
  let timer: ReturnType<typeof setTimeout> | undefined
  const save = (): void => {
    timer = undefined
    saveHistory(storage, peerId, store.state.messages)
  }
  const stop = watch(() => store.state.messages, () => {
    clearTimeout(timer)
    timer = setTimeout(save, SAVE_DELAY_MS)
  }, { deep: true })
  // Stopping (the page is going away) saves at once what is still waiting for the debounce.
  return () => {
    stop()
    if (timer != null) { clearTimeout(timer); save() }
  }
}

/** A message that was mid-flight when the page closed is pending again; a stream that was cut off is over. */
function reviveMessage (m: ChatMessage): ChatMessage {
  const revived: ChatMessage = { ...m }
  if (revived.delivery?.state === 'sending') revived.delivery = { state: 'pending' }
  if (revived.reply != null) revived.reply = { ...revived.reply, streaming: false, parts: revived.reply.parts.length > 0 ? revived.reply.parts : [revived.text] }
  return revived
}
