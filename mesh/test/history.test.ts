/**
 * `/llmesh/history/1.0.0` between two real libp2p nodes: the server hands out
 * the signed messages as received, the client keeps only those whose signatures hold.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { GossipSub, SignedMessage } from '@libp2p/gossipsub'
import { nodePeerOptions } from '../node-options.ts'
import { fetchHistory, messageKey, RecentChat, serveHistory, toRpcMessage, verifyRpcMessage } from '../history.ts'
import { CHAT_TOPIC } from '../protocol.ts'

type Node = Libp2p<{ pubsub: GossipSub }>
const started: Node[] = []
afterEach(async () => { await Promise.all(started.splice(0).map(async n => { await n.stop() })) })

async function node (): Promise<Node> {
  const options = nodePeerOptions({ role: 'terminal' })
  const n = await createLibp2p({ ...options, services: { pubsub: options.services.pubsub, identify: options.services.identify } }) as unknown as Node
  started.push(n)
  return n
}

async function until<T> (get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = get()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('chat history', () => {
  it('serves the recent chat as signed messages that the asker verifies', async () => {
    const [server, author, asker] = await Promise.all([node(), node(), node()])
    const recent = new RecentChat(3)
    const heard: SignedMessage[] = []
    server.services.pubsub.addEventListener('message', (event) => {
      if (event.detail.type === 'signed') { recent.add(event.detail); heard.push(event.detail) }
    })
    await serveHistory(server, recent)
    server.services.pubsub.subscribe(CHAT_TOPIC)
    author.services.pubsub.subscribe(CHAT_TOPIC)
    await author.dial(server.getMultiaddrs()[0]!)
    await until(() => author.services.pubsub.getSubscribers(CHAT_TOPIC).length > 0 || undefined)
    for (const text of ['one', 'two', 'three', 'four']) await author.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))
    await until(() => heard.length === 4 || undefined)

    await asker.dial(server.getMultiaddrs()[0]!)
    const history = await fetchHistory(asker, server.peerId)
    // Bounded: the oldest went first. Oldest first, each still signed by its author.
    expect(history.map(m => new TextDecoder().decode(m.data))).toEqual(['two', 'three', 'four'])
    for (const m of history) expect(m.from.equals(author.peerId)).toBe(true)
    expect(history.map(messageKey)).toEqual(heard.slice(1).map(messageKey))
  })

  it('refuses a message whose text or author was changed after signing', async () => {
    const [author, other] = await Promise.all([node(), node()])
    const heard: SignedMessage[] = []
    other.services.pubsub.addEventListener('message', (event) => { if (event.detail.type === 'signed') heard.push(event.detail) })
    other.services.pubsub.subscribe(CHAT_TOPIC)
    author.services.pubsub.subscribe(CHAT_TOPIC)
    await author.dial(other.getMultiaddrs()[0]!)
    await until(() => author.services.pubsub.getSubscribers(CHAT_TOPIC).length > 0 || undefined)
    await author.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode('original'))
    const original = await until(() => heard[0])

    const raw = toRpcMessage(original)
    expect(await verifyRpcMessage(raw)).toBeDefined()
    expect(await verifyRpcMessage({ ...raw, data: new TextEncoder().encode('forged') })).toBeUndefined()
    expect(await verifyRpcMessage({ ...raw, from: other.peerId.toMultihash().bytes })).toBeUndefined()
    expect(await verifyRpcMessage({ ...raw, seqno: new Uint8Array(8) })).toBeUndefined()
    expect(await verifyRpcMessage({ ...raw, signature: undefined })).toBeUndefined()
  })
})
