/**
 * Reading dial errors: each kind from the error a real libp2p node rejects
 * with on 127.0.0.1, so a libp2p upgrade that renames its errors fails here
 * instead of giving learners and chat users the generic line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { classifyDialError, describeError, firstLine } from '../dial-errors.ts'

async function node (encrypter: 'noise' | 'plaintext', listen = true, denyDials = false): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
    transports: [tcp()],
    connectionEncrypters: [encrypter === 'noise' ? noise() : plaintext()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => denyDials }
  })
}

async function dialError (dialer: Libp2p, address: string, signal?: AbortSignal): Promise<unknown> {
  try {
    await dialer.dial(multiaddr(address), { signal })
  } catch (err) {
    return err
  }
  throw new Error(`the dial to ${address} succeeded`)
}

describe('dial errors from real nodes', () => {
  let listener: Libp2p
  let dialer: Libp2p
  let address: string
  let port: number
  beforeAll(async () => {
    listener = await node('noise')
    dialer = await node('noise', false)
    address = listener.getMultiaddrs()[0]!.toString()
    port = Number(address.split('/')[4])
  })
  afterAll(async () => { await Promise.all([listener?.stop(), dialer?.stop()]) })

  it('a closed port is refused', async () => {
    const closed = await node('noise')
    const closedAddress = closed.getMultiaddrs()[0]!.decapsulateCode(0x01a5).toString()
    await closed.stop()
    expect(classifyDialError(await dialError(dialer, closedAddress))).toEqual({ kind: 'refused' })
  })

  it('another key answering is a wrong peer, named when Noise says who it is', async () => {
    const someoneElse = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const failure = classifyDialError(await dialError(dialer, `/ip4/127.0.0.1/tcp/${port}/p2p/${someoneElse}`))
    expect(failure).toEqual({ kind: 'wrong-peer', actual: listener.peerId.toString() })
  })

  it('a gater refusing the address is denied', async () => {
    const gated = await node('noise', false, true)
    try {
      expect(classifyDialError(await dialError(gated, address))).toEqual({ kind: 'denied' })
    } finally {
      await gated.stop()
    }
  })

  it('no encrypter in common is named', async () => {
    const plain = await node('plaintext', false)
    try {
      expect(classifyDialError(await dialError(plain, address))).toEqual({ kind: 'no-encrypter' })
    } finally {
      await plain.stop()
    }
  })

  it('an aborted dial is a timeout', async () => {
    expect(classifyDialError(await dialError(dialer, address.replace(`/tcp/${port}`, '/tcp/1'), AbortSignal.abort()))).toEqual({ kind: 'timeout' })
  })
})

describe('reading errors in words', () => {
  it('takes the peer Noise names from its message', () => {
    const other = '12D3KooWGHV6ap5MNyUKPWvqkUjRivQDvuLvUk4sG1YA6Pte8qwr'
    const err = Object.assign(new Error(`Payload identity key ${other} does not match expected remote identity key 12D3KooWx`), { name: 'EncryptionFailedError' })
    expect(classifyDialError(err)).toEqual({ kind: 'wrong-peer', actual: other })
  })

  it('says something useful for a bare Event and a long message', () => {
    expect(describeError(new Event('error'))).toBe('the connection ended (error event)')
    expect(describeError(Object.assign(new Error('boom\nat somewhere'), { name: 'DialError' }))).toBe('DialError: boom')
    expect(firstLine('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`)
  })
})
