/**
 * What an attacker on the mesh can do with nothing but a key pair and a
 * connection: sign any message it likes (any sequence number, any topic) and
 * push it down its gossipsub stream. Used by the security tests.
 */
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { RPC } from '@libp2p/gossipsub/message'
import type { PrivateKey } from '@libp2p/interface'
import { sendRawRpc } from '../../mesh/gossipsub-internals.ts'

const encoder = new TextEncoder()
const SIGN_PREFIX = encoder.encode('libp2p-pubsub:')

/** A message signed by `key`, with the sequence number the attacker chooses. */
export async function signedMessage (key: PrivateKey, topic: string, data: Uint8Array | string, sequenceNumber: bigint): Promise<RPC.Message> {
  const seqno = new Uint8Array(8)
  new DataView(seqno.buffer).setBigUint64(0, sequenceNumber, false)
  const message: RPC.Message = {
    from: peerIdFromPrivateKey(key).toMultihash().bytes,
    data: typeof data === 'string' ? encoder.encode(data) : data,
    seqno,
    topic
  }
  const toSign = RPC.Message.encode(message)
  const bytes = new Uint8Array(SIGN_PREFIX.byteLength + toSign.byteLength)
  bytes.set(SIGN_PREFIX)
  bytes.set(toSign, SIGN_PREFIX.byteLength)
  return { ...message, signature: await key.sign(bytes), key: publicKeyToProtobuf(key.publicKey) }
}

/** A fresh key: a throwaway identity costs an attacker nothing. */
export async function throwawayKey (): Promise<PrivateKey> {
  return await generateKeyPair('Ed25519')
}

/**
 * Push raw messages to `peer` over the attacker's own gossipsub stream, as if it
 * were forwarding them (through gossipsub's private `sendRpc`: an attacker uses what it likes).
 */
export function pushMessages (pubsub: unknown, peer: string, messages: RPC.Message[]): void {
  for (let i = 0; i < messages.length; i += 50) sendRawRpc(pubsub, peer, { subscriptions: [], messages: messages.slice(i, i + 50) })
}
