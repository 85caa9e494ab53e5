/**
 * The checker's proof that a node really takes part in the chat: publish
 * `/nonce <fresh value>` and wait for exactly `nonce <value> <its peer id>`,
 * signed by the node. Only a node that received the message can answer it.
 */
import { randomBytes } from 'node:crypto'
import type { GossipSub } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { fail } from '../engine/step-failure.ts'
import type { ChatListener } from './chat-listener.ts'
import { quoted } from './near-miss.ts'

/** Say it again, with a new value, if the first try got lost in a race (a subscription still in flight). */
const RETRY_MS = 600

export interface NonceChallenge {
  /** Every nonce published so far, latest last (for a timeout message). */
  nonces: string[]
  /** Resolves with the node's answer once it is exactly right; rejects with a StepFailure when it is not. */
  answered: Promise<string>
}

/** Publish fresh nonces from `pubsub` until the node `peerId` answers one on the chat topic (watched by `chat`). */
export function challengeNonce (pubsub: GossipSub, chat: ChatListener, peerId: string, signal: AbortSignal): NonceChallenge {
  const peer = peerIdFromString(peerId)
  const nonces: string[] = []
  const answer = chat.waitFor(m => m.message.from.equals(peer) && nonces.some(nonce => m.text.includes(nonce)), signal, peerId)
  let settled = false
  answer.then(() => { settled = true }, () => { settled = true })
  const answered = (async () => {
    while (!settled) {
      const nonce = randomBytes(8).toString('hex')
      nonces.push(nonce)
      await pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(`/nonce ${nonce}`)).catch(() => {})
      const deadline = performance.now() + RETRY_MS
      while (!settled && performance.now() < deadline) await pause(10, signal)
    }
    const message = await answer
    const expected = `nonce ${nonces.find(nonce => message.text.includes(nonce)) ?? ''} ${peerId}`
    if (message.text !== expected || message.topic !== CHAT_TOPIC) {
      fail(`your node answered /nonce with ${quoted(message.text)} on "${message.topic}": publish exactly ${quoted(expected)} on "${CHAT_TOPIC}".`, { expected: quoted(expected), seen: quoted(message.text) })
    }
    return message.text
  })()
  answered.catch(() => {}) // awaited by the caller
  return { nonces, answered }
}

async function pause (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('aborted')
  await new Promise(resolve => setTimeout(resolve, ms))
}
