/**
 * Turn a validated gossipsub message into store actions: chat text, presence,
 * streamed reply chunks and topology reports. Every message also starts a pulse
 * along the path it travelled.
 */
import type { GossipsubMessage } from '@libp2p/gossipsub'
import { parseExtensionMessage } from '../../../mesh/extension.ts'
import { decodeChatText } from '../../../mesh/gossip.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'
import { receivedPath } from '../store/graph.ts'
import type { MeshStore } from '../store/index.ts'

export function handleGossipMessage (store: MeshStore, selfId: string, detail: GossipsubMessage, now = Date.now()): void {
  const { msg, propagationSource } = detail
  // StrictSign: unsigned messages carry no author we could show.
  if (msg.type !== 'signed') return
  const from = msg.from.toString()
  // Our own messages come back to us (emitSelf, for their sequence numbers): the store has them already.
  if (from === selfId) return
  const path = receivedPath(from, propagationSource.toString(), selfId)

  if (msg.topic === CHAT_TOPIC) {
    const text = decodeChatText(msg.data)
    if (text === undefined) return
    store.chat.received({ from, seq: msg.sequenceNumber.toString(), text, at: now })
    store.peers.ensurePeer(from, 'peer', now)
    store.peers.heardFrom(from)
    store.pulses.pulse(path, now)
    return
  }

  if (msg.topic !== LLMESH_TOPIC) return
  const extension = parseExtensionMessage(msg.data)
  if (extension === undefined) return
  if (extension.type !== 'goodbye') store.peers.heardFrom(from)
  switch (extension.type) {
    case 'presence':
      store.peers.presence(from, extension)
      break
    case 'reply':
      store.chat.replyChunk(from, extension, now)
      // One pulse per reply, not per token.
      if (extension.index === 0) store.pulses.pulse(path, now)
      break
    case 'topology':
      // A peer speaks only for its own connections.
      if (extension.peer !== from) return
      store.peers.topologyReport(extension, now)
      break
    case 'goodbye':
      // Signed by the peer that leaves, and about nobody else.
      store.peers.goodbye(from, now)
      break
  }
}
