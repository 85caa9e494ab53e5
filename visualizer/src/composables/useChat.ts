/**
 * The chat as components see it: messages with their sender's name and kind,
 * streamed replies, delivery state; and sending, resending, clearing.
 */
import { computed } from 'vue'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'
import { deliveryLabel } from '../lib/delivery-label.ts'
import { nameForPeer } from '../lib/peer-name.ts'
import type { ChatMessage, PeerKind } from '../store/types.ts'

export interface ChatLine {
  message: ChatMessage
  senderName: string
  senderKind: PeerKind
  delivery: string
  /** "↳ to …x7Fq2a" when an agent answers someone. */
  replyTo?: string
}

export function useChat (context: AppContext = useAppContext()) {
  const { store, controller } = context
  const state = store.state

  const nameOf = (id: string): string => state.peers.get(id)?.name ?? nameForPeer(id)

  const lines = computed<ChatLine[]>(() => state.messages.map(message => {
    const peer = state.peers.get(message.from)
    const replyTo = message.inReplyTo != null
      ? (message.inReplyTo.from === state.selfId ? 'you' : nameOf(message.inReplyTo.from))
      : undefined
    return {
      message,
      senderName: message.own ? 'you' : nameOf(message.from),
      senderKind: message.own ? 'self' : peer?.kind ?? 'peer',
      delivery: message.own ? deliveryLabel(message.delivery) : '',
      ...(replyTo != null ? { replyTo } : {})
    }
  }))

  return {
    lines,
    pendingCount: computed(() => state.messages.filter(m => m.own && m.delivery?.state === 'pending').length),
    canSend: computed(() => state.connection.phase === 'synced' || state.connection.phase === 'offline'),
    send: (text: string) => { controller.send(text) },
    resend: (id: string) => { controller.resend(id) },
    clear: () => { store.chat.clear() }
  }
}
