/**
 * The chat history: received messages, our own with their delivery state, and
 * Alien X's replies assembled from streamed chunks.
 */
import type { MeshState } from './state.ts'
import type { ChatMessage, Delivery } from './types.ts'
import { withoutRepeatMark } from '../../../mesh/repeat.ts'

/** Enough history to scroll back a good while, small enough for localStorage. */
export const MAX_MESSAGES = 500

export interface ReceivedChat {
  from: string
  seq: string
  text: string
  at: number
}

export interface ReplyChunkInfo {
  replyId: string
  inReplyTo?: { from: string, seq: string }
  index: number
  delta: string
  done: boolean
  provider: string
  model?: string
  error?: string
}

/** A reply has at most this many chunks; a higher index is dropped (it would make a huge sparse array). */
export const MAX_REPLY_CHUNKS = 2000
/** A reply's text is at most this many characters; chunks beyond are dropped. */
export const MAX_REPLY_CHARS = 64 * 1024
/** A reply with no chunk for this long has stopped streaming, even without `done`. */
export const REPLY_STALL_MS = 30_000

let localCounter = 0

export function chatActions (state: MeshState) {
  const byId = (id: string) => state.messages.find(m => m.id === id)

  /** Where we already hold the chat message `from`/`seq`: received, folded into a streamed reply, or our own. */
  const indexOfWire = (from: string, seq: string): number => {
    const id = `${from}:${seq}`
    return state.messages.findIndex(m => m.id === id || m.chatId === id || (m.own && m.seq === seq && m.from === from))
  }

  const push = (message: ChatMessage): ChatMessage => {
    state.messages.push(message)
    if (state.messages.length > MAX_MESSAGES) state.messages.splice(0, state.messages.length - MAX_MESSAGES)
    return state.messages[state.messages.length - 1]!
  }

  return {
    /**
     * A chat message from another peer. An agent publishes its streamed reply
     * again as plain chat (for peers that don't speak llmesh/1): fold that copy
     * into the streamed bubble instead of showing it twice.
     */
    received (chat: ReceivedChat): ChatMessage | undefined {
      const id = `${chat.from}:${chat.seq}`
      if (indexOfWire(chat.from, chat.seq) >= 0) return undefined
      const streamed = findStreamedCopy(state.messages, chat.from, chat.text)
      if (streamed != null) {
        // The first copy is the whole answer (plus maybe a repeat mark); later parts are already in the stream.
        if (streamed.chatId == null) {
          streamed.chatId = id
          if (normalise(chat.text).length >= normalise(streamed.text).length) streamed.text = chat.text
        }
        return streamed
      }
      return push({ id, from: chat.from, text: chat.text, at: chat.at, own: false })
    },

    /** Our own message, before it is published. */
    composed (text: string, delivery: Delivery, at = Date.now()): ChatMessage {
      localCounter += 1
      const id = `own:${at.toString(36)}:${localCounter}:${Math.random().toString(36).slice(2, 6)}`
      return push({ id, from: state.selfId ?? 'self', text, at, own: true, delivery })
    },

    setDelivery (id: string, delivery: Delivery): void {
      const message = byId(id)
      if (message != null) message.delivery = delivery
    },

    /** gossipsub's answer to our publish: who it was written to, and the sequence number that names it. */
    published (id: string, result: { seq: string, recipients: number, toAgent: boolean }): void {
      const message = byId(id)
      if (message == null) return
      message.seq = result.seq
      message.delivery = { state: 'sent', recipients: result.recipients, toAgent: result.toAgent }
    },

    /** The agent's history has our message (or, after a while, still has not). */
    agentReceipt (id: string, has: boolean): void {
      const delivery = byId(id)?.delivery
      if (delivery?.state === 'sent') delivery.agentHas = has
    },

    /**
     * The agent's recent chat (oldest first), after we (re)joined. What we hold
     * already is skipped; the rest is inserted where the agent's order puts it:
     * after the latest message before it that we hold, or, when we hold none of
     * them, before what arrived live since `joinedAt`. Returns how many were added.
     */
    caughtUp (history: ReceivedChat[], joinedAt: number): number {
      const self = state.selfId
      const firstHeld = history.map(c => indexOfWire(c.from, c.seq)).find(i => i >= 0)
      const liveStart = state.messages.findIndex(m => m.at >= joinedAt && m.backfilled !== true)
      let cursor = firstHeld ?? (liveStart >= 0 ? liveStart : state.messages.length)
      let added = 0
      for (const chat of history) {
        const held = indexOfWire(chat.from, chat.seq)
        if (held >= 0) { cursor = held + 1; continue }
        const streamed = findStreamedCopy(state.messages, chat.from, chat.text)
        if (streamed != null && streamed.chatId == null) {
          streamed.chatId = `${chat.from}:${chat.seq}`
          cursor = state.messages.indexOf(streamed) + 1
          continue
        }
        const own = chat.from === self
        // Our own message saved before messages kept their sequence numbers: the same text, adopted.
        const twin = own ? state.messages.find(m => m.own && m.seq == null && m.delivery?.state === 'sent' && normalise(m.text) === normalise(chat.text)) : undefined
        if (twin != null) {
          twin.seq = chat.seq
          cursor = state.messages.indexOf(twin) + 1
          continue
        }
        const at = state.messages[cursor - 1]?.at ?? state.messages[cursor]?.at ?? chat.at
        state.messages.splice(cursor, 0, {
          id: own ? `own:history:${chat.seq}` : `${chat.from}:${chat.seq}`,
          from: chat.from,
          text: chat.text,
          at,
          own,
          backfilled: true,
          ...(own ? { seq: chat.seq } : {})
        })
        cursor += 1
        added += 1
      }
      if (state.messages.length > MAX_MESSAGES) state.messages.splice(0, state.messages.length - MAX_MESSAGES)
      return added
    },

    /**
     * One chunk of a streamed reply. A chunk past MAX_REPLY_CHUNKS or
     * MAX_REPLY_CHARS loses its text (its `done` still ends the stream); a
     * first chunk that is out of bounds starts nothing (undefined).
     */
    replyChunk (from: string, chunk: ReplyChunkInfo, at = Date.now()): ChatMessage | undefined {
      const inRange = Number.isInteger(chunk.index) && chunk.index >= 0 && chunk.index < MAX_REPLY_CHUNKS
      let message = state.messages.find(m => m.reply?.replyId === chunk.replyId && m.from === from)
      if (message == null) {
        if (!inRange) return undefined
        message = push({
          id: `reply:${from}:${chunk.replyId}`,
          from,
          text: '',
          at,
          own: false,
          reply: { replyId: chunk.replyId, provider: chunk.provider, streaming: true, parts: [] },
          ...(chunk.inReplyTo != null ? { inReplyTo: chunk.inReplyTo } : {})
        })
      }
      const reply = message.reply!
      if (inRange) {
        const others = reply.parts.reduce((sum, part) => sum + (part?.length ?? 0), 0) - (reply.parts[chunk.index]?.length ?? 0)
        if (others + chunk.delta.length <= MAX_REPLY_CHARS) reply.parts[chunk.index] = chunk.delta
      }
      reply.lastChunkAt = Math.max(reply.lastChunkAt ?? 0, at)
      reply.provider = chunk.provider
      if (chunk.model != null) reply.model = chunk.model
      if (chunk.error != null) reply.error = chunk.error
      if (chunk.done) reply.streaming = false
      // The plain-chat copy (if it came first) is the authoritative full text.
      if (message.chatId == null) message.text = reply.parts.join('')
      return message
    },

    /** End every stream that has been silent for `maxSilentMs`: its sender stopped without `done`. */
    expireStreams (now: number, maxSilentMs = REPLY_STALL_MS): void {
      for (const m of state.messages) {
        const reply = m.reply
        if (reply?.streaming === true && now - (reply.lastChunkAt ?? m.at) > maxSilentMs) reply.streaming = false
      }
    },

    /** History restored from local storage; what was pending is pending again. */
    restore (messages: ChatMessage[]): void {
      state.messages.splice(0, state.messages.length, ...messages.slice(-MAX_MESSAGES))
    },

    clear (): void {
      state.messages.splice(0, state.messages.length)
    }
  }
}

/** Text as compared for sameness: whitespace folded, no repeat mark. */
function normalise (text: string): string {
  return withoutRepeatMark(text.trim()).replace(/\s+/g, ' ').trim()
}

/**
 * The streamed reply this plain-chat text is a copy of, if any. The agent may
 * add a small mark to avoid repeating itself, or split a long answer in parts.
 */
function findStreamedCopy (messages: ChatMessage[], from: string, text: string): ChatMessage | undefined {
  const wanted = normalise(text)
  if (wanted === '') return undefined
  // Replies are recent: only look at the tail.
  for (let i = messages.length - 1; i >= Math.max(0, messages.length - 30); i--) {
    const m = messages[i]!
    if (m.from !== from || m.reply == null) continue
    const streamed = normalise(m.reply.parts.join(''))
    if (streamed === '') continue
    if (streamed === wanted || wanted.startsWith(streamed) || streamed.includes(wanted)) return m
  }
  return undefined
}
