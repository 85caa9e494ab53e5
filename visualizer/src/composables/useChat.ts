/**
 * The chat as components see it: messages with their sender's name and kind,
 * streamed replies, delivery state; and sending, resending, clearing.
 */
import { computed, ref, watch } from 'vue'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'
import { MAX_CHAT_BYTES, chatBytes } from '../lib/chat-limit.ts'
import { deliveryLabel } from '../lib/delivery-label.ts'
import { modelLabel } from '../lib/model-label.ts'
import { shortPeerId } from '../../../mesh/names.ts'
import type { ChatMessage, PeerKind } from '../store/types.ts'

export interface ChatLine {
  message: ChatMessage
  senderName: string
  senderKind: PeerKind
  delivery: string
  /** "↳ to …x7Fq2a" when an agent answers someone. */
  replyTo?: string
  /** Which model wrote a streamed reply, e.g. "ollama · llama3.2". */
  model?: string
  /** An agent's text is Markdown (LLMs write it); everyone else's is shown as typed. */
  markdown: boolean
  /** Long enough to fold behind "show more". */
  long: boolean
}

/** Longer than this (characters or lines), a message is folded until asked for. */
export const LONG_MESSAGE_CHARS = 700
export const LONG_MESSAGE_LINES = 12

export function useChat (context: AppContext = useAppContext()) {
  const { store, controller } = context
  const state = store.state

  const nameOf = (id: string): string => state.peers.get(id)?.name ?? shortPeerId(id)

  const lines = computed<ChatLine[]>(() => state.messages.map(message => {
    const peer = state.peers.get(message.from)
    const replyTo = message.inReplyTo != null
      ? (message.inReplyTo.from === state.selfId ? 'you' : nameOf(message.inReplyTo.from))
      : undefined
    const senderKind: PeerKind = message.own ? 'self' : peer?.kind ?? 'peer'
    const model = message.reply != null ? modelLabel(message.reply.provider, message.reply.model) : undefined
    return {
      message,
      senderName: message.own ? 'you' : nameOf(message.from),
      senderKind,
      delivery: message.own ? deliveryLabel(message.delivery) : '',
      ...(replyTo != null ? { replyTo } : {}),
      ...(model != null ? { model } : {}),
      markdown: senderKind === 'agent',
      long: message.text.length > LONG_MESSAGE_CHARS || message.text.split('\n').length > LONG_MESSAGE_LINES
    }
  }))

  // The message being typed survives a reload of this tab.
  const draft = ref(context.tabSession.draft())
  watch(draft, text => { context.tabSession.saveDraft(text) })
  const draftBytes = computed(() => chatBytes(draft.value))

  return {
    lines,
    draft,
    draftBytes,
    maxBytes: MAX_CHAT_BYTES,
    /** Over the chat limit: peers would reject it, so it is not sent at all. */
    tooLong: computed(() => draftBytes.value > MAX_CHAT_BYTES),
    pendingCount: computed(() => state.messages.filter(m => m.own && m.delivery?.state === 'pending').length),
    canSend: computed(() => state.connection.phase === 'synced' || state.connection.phase === 'offline'),
    /** Send the draft; it is cleared only when the message was taken. */
    sendDraft: (): boolean => {
      const sent = controller.send(draft.value)
      if (sent) draft.value = ''
      return sent
    },
    resend: (id: string) => { controller.resend(id) },
    clear: () => { store.chat.clear() }
  }
}
