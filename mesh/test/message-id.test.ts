/**
 * The message id: universal-connectivity's byte for byte, and no id can be
 * pre-claimed by another author.
 */
import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { SignedMessage } from '@libp2p/gossipsub'
import { sha256 } from 'multiformats/hashes/sha2'
import { chatMessageId, createMessageIdFn, meshScoreParams, PEERS_PER_PUBLIC_IP } from '../gossip.ts'

async function message (sequenceNumber: bigint, text = 'hi'): Promise<SignedMessage> {
  const key = await generateKeyPair('Ed25519')
  return { type: 'signed', from: peerIdFromPrivateKey(key), topic: 'universal-connectivity', data: new TextEncoder().encode(text), sequenceNumber, signature: new Uint8Array(64), key: key.publicKey }
}

// As the universal-connectivity js peer writes it (js-peer/src/lib/libp2p.ts, msgIdFnStrictNoSign).
async function ucMessageId (msg: SignedMessage): Promise<Uint8Array> {
  return await sha256.encode(new TextEncoder().encode(msg.sequenceNumber.toString()))
}

describe('message ids', () => {
  it('are the raw 32-byte sha256 digest of the decimal sequence number, as universal-connectivity computes them', async () => {
    const msg = await message(1764672000000000123n)
    const ours = await chatMessageId(msg)
    expect(ours.byteLength).toBe(32)
    expect([...ours]).toEqual([...await ucMessageId(msg)])
    // The guarded function gives honest messages the very same bytes.
    expect([...await createMessageIdFn()(msg)]).toEqual([...ours])
  })

  it('give a message from a second author under an already-claimed sequence number an id of its own', async () => {
    const idFor = createMessageIdFn()
    const poison = await message(42n, 'first, from the attacker')
    const honest = await message(42n, 'the real message')
    const poisonId = await idFor(poison)
    const honestId = await idFor(honest)
    expect([...honestId]).not.toEqual([...poisonId])
    // Stable: the same message seen again (another path through the mesh) is still a duplicate.
    expect([...await idFor(honest)]).toEqual([...honestId])
    expect([...await idFor(poison)]).toEqual([...poisonId])
  })

  it('free an id again once gossipsub has forgotten it (after its two-minute seen cache)', async () => {
    let now = 0
    const idFor = createMessageIdFn(() => now)
    const first = await message(7n)
    const later = await message(7n)
    await idFor(first)
    now += 2 * 60_000 + 1
    expect([...await idFor(later)]).toEqual([...await chatMessageId(later)])
  })

  it('keep each node\'s claims to itself', async () => {
    const a = createMessageIdFn()
    const b = createMessageIdFn()
    const x = await message(9n)
    const y = await message(9n)
    await a(x)
    expect([...await b(y)]).toEqual([...await chatMessageId(y)])
  })
})

describe('peer scoring', () => {
  it('exempts loopback and private networks from the IP-colocation penalty, not public addresses', () => {
    const params = meshScoreParams()
    const exempt = params.IPColocationFactorWhitelist!
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.7', '172.16.4.4', 'fe80::1']) expect(exempt.has(ip), ip).toBe(true)
    for (const ip of ['8.8.8.8', '2001:4860:4860::8888', '147.28.186.157']) expect(exempt.has(ip), ip).toBe(false)
    expect(params.IPColocationFactorThreshold).toBe(PEERS_PER_PUBLIC_IP)
  })
})
