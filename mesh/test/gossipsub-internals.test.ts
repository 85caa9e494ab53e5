/**
 * Pins what LLMesh uses of @libp2p/gossipsub beyond its published interface
 * (mesh/gossipsub-internals.ts) and the outbound stream found through the
 * connection API (mesh/gossip-stream.ts), on two real nodes on 127.0.0.1. When
 * an upgrade renames or removes a member, this fails and says which.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { GossipSub } from '@libp2p/gossipsub'
import { nodePeerOptions } from '../node-options.ts'
import { CHAT_TOPIC } from '../protocol.ts'
import { outboundGossipStream } from '../gossip-stream.ts'
import { meshPeersOf, observeRejectedMessages, sendRawRpc } from '../gossipsub-internals.ts'
import type { RejectedMessage } from '../gossipsub-internals.ts'

type Node = Libp2p<{ pubsub: GossipSub }>

describe('gossipsub beyond its interface', () => {
  let sender: Node
  let receiver: Node
  beforeAll(async () => {
    const node = async (): Promise<Node> => await createLibp2p(nodePeerOptions({ role: 'terminal' })) as unknown as Node
    ;[sender, receiver] = await Promise.all([node(), node()])
    sender.services.pubsub.subscribe(CHAT_TOPIC)
    receiver.services.pubsub.subscribe(CHAT_TOPIC)
    await sender.dial(receiver.getMultiaddrs()[0]!)
  })
  afterAll(async () => { await Promise.all([sender?.stop(), receiver?.stop()]) })

  it.each(['getMeshPeers', 'validateReceivedMessage', 'sendRpc'])('the installed gossipsub still has %s', (member) => {
    expect(typeof (sender.services.pubsub as unknown as Record<string, unknown>)[member], `@libp2p/gossipsub no longer has ${member}: update mesh/gossipsub-internals.ts`).toBe('function')
  })

  it('finds the outbound stream through the connection, and the mesh peers', async () => {
    const peer = receiver.peerId.toString()
    await vi.waitFor(() => { expect(outboundGossipStream(sender, peer)?.protocol).toMatch(/^\/meshsub\//) })
    expect(typeof outboundGossipStream(sender, peer)?.writeBufferLength).toBe('number')
    await vi.waitFor(() => { expect(meshPeersOf(sender.services.pubsub, CHAT_TOPIC)).toContain(peer) }, { timeout: 10_000 })
  })

  it('sees a raw unsigned message refused under StrictSign, from the neighbour that sent it', async () => {
    const rejections: RejectedMessage[] = []
    expect(observeRejectedMessages(receiver.services.pubsub, r => rejections.push(r))).toBe(true)
    await vi.waitFor(() => { expect(outboundGossipStream(sender, receiver.peerId.toString())).toBeDefined() })
    sendRawRpc(sender.services.pubsub, receiver.peerId.toString(), { subscriptions: [], messages: [{ topic: CHAT_TOPIC, data: new TextEncoder().encode('unsigned') }] })
    await vi.waitFor(() => { expect(rejections).toContainEqual({ from: sender.peerId.toString(), why: expect.any(String) }) })
  })

  it('gives no outbound stream once the peer has gone', async () => {
    await sender.hangUp(receiver.peerId)
    await vi.waitFor(() => { expect(outboundGossipStream(sender, receiver.peerId.toString())).toBeUndefined() })
  })
})
