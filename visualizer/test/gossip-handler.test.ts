/**
 * Gossip messages as libp2p hands them over, turned into store actions. The
 * messages are real: signed by their authors and carried by gossipsub from a
 * terminal through a hub to this node. No topic validators run on these nodes,
 * so what the handler must refuse by itself (bad text, a report about another
 * peer) reaches it too.
 */
import type { GossipsubMessage } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { gossipPeer } from './real-peer.ts'
import type { GossipPeer } from './real-peer.ts'
import { encodeExtensionMessage } from '../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { handleGossipMessage } from '../src/net/gossip-handler.ts'
import { createMeshStore } from '../src/store/index.ts'

type Node = GossipPeer
let hubNode: Node, terminalNode: Node, selfNode: Node
let self: PeerId, agent: PeerId, terminal: PeerId
const heard: GossipsubMessage[] = []

const peer = async (): Promise<Node> => await gossipPeer({ emitSelf: true })

beforeAll(async () => {
  [hubNode, terminalNode, selfNode] = await Promise.all([peer(), peer(), peer()])
  agent = hubNode.peerId
  terminal = terminalNode.peerId
  self = selfNode.peerId
  selfNode.services.pubsub.addEventListener('gossipsub:message', (event) => { heard.push(event.detail) })
  for (const node of [hubNode, terminalNode, selfNode]) for (const topic of [CHAT_TOPIC, LLMESH_TOPIC]) node.services.pubsub.subscribe(topic)
  // terminal → hub → this node: the terminal is not connected to us directly.
  await terminalNode.dial(hubNode.getMultiaddrs()[0]!)
  await selfNode.dial(hubNode.getMultiaddrs()[0]!)
  for (const [node, topic] of [[terminalNode, CHAT_TOPIC], [terminalNode, LLMESH_TOPIC], [selfNode, CHAT_TOPIC], [selfNode, LLMESH_TOPIC]] as const) {
    await vi.waitFor(() => { expect(node.services.pubsub.getSubscribers(topic).some(p => p.equals(agent))).toBe(true) })
  }
  await vi.waitFor(() => { expect(hubNode.services.pubsub.getSubscribers(CHAT_TOPIC).length === 2 && hubNode.services.pubsub.getSubscribers(LLMESH_TOPIC).length === 2).toBe(true) })
})

afterAll(async () => { await Promise.all([hubNode, terminalNode, selfNode].map(async n => { await n.stop() })) })

/** Publish from `author` and return the message as this node's gossipsub hands it over. */
async function gossip (author: Node, topic: string, data: Uint8Array): Promise<GossipsubMessage> {
  const before = heard.length
  await author.services.pubsub.publish(topic, data)
  const same = (m: GossipsubMessage): boolean => m.msg.topic === topic && m.msg.type === 'signed' && m.msg.from.equals(author.peerId) && m.msg.data.length === data.length && m.msg.data.every((b, i) => b === data[i])
  await expect.poll(() => heard.slice(before).some(same)).toBe(true)
  return heard.slice(before).find(same)!
}

const text = (s: string) => new TextEncoder().encode(s)

function freshStore () {
  const store = createMeshStore()
  store.peers.setSelf(self.toString(), 'x')
  return store
}

describe('handleGossipMessage', () => {
  it('adds chat text and a pulse along the path it came', async () => {
    const store = freshStore()
    handleGossipMessage(store, self.toString(), await gossip(terminalNode, CHAT_TOPIC, text('hello mesh')), 100)
    expect(store.state.messages[0]).toMatchObject({ from: terminal.toString(), text: 'hello mesh', own: false })
    expect(store.state.pulses[0]!.path).toEqual([terminal.toString(), agent.toString(), self.toString()])
  })

  it('drops text that is not UTF-8 even when no validator stopped it', async () => {
    const store = freshStore()
    handleGossipMessage(store, self.toString(), await gossip(terminalNode, CHAT_TOPIC, new Uint8Array([0xff, 0xfe])))
    expect(store.state.messages).toHaveLength(0)
  })

  it('learns presence and assembles streamed replies with one pulse per reply', async () => {
    const store = freshStore()
    const from = agent.toString()
    store.connection.beginConnect('/x', from, 'first')
    handleGossipMessage(store, self.toString(), await gossip(hubNode, LLMESH_TOPIC, encodeExtensionMessage({ type: 'presence', role: 'agent', name: 'Alien X', provider: 'ollama', model: 'llama3.2' })))
    expect(store.state.peers.get(from)).toMatchObject({ kind: 'agent', name: 'Alien X' })
    for (const [index, delta] of ['The ', 'stars ', 'agree.'].entries()) {
      handleGossipMessage(store, self.toString(), await gossip(hubNode, LLMESH_TOPIC, encodeExtensionMessage({ type: 'reply', replyId: 'a1', index, delta, done: index === 2, provider: 'ollama', model: 'llama3.2' })))
    }
    expect(store.state.messages).toHaveLength(1)
    expect(store.state.messages[0]).toMatchObject({ text: 'The stars agree.', reply: { streaming: false, model: 'llama3.2' } })
    expect(store.state.pulses).toHaveLength(1)
  })

  it('accepts a topology report only from the peer it describes', async () => {
    const store = freshStore()
    const report = (peer: PeerId) => encodeExtensionMessage({ type: 'topology', peer: peer.toString(), connections: [{ peer: self.toString(), transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] })
    handleGossipMessage(store, self.toString(), await gossip(terminalNode, LLMESH_TOPIC, report(agent)))
    expect(store.state.reports.size).toBe(0)
    handleGossipMessage(store, self.toString(), await gossip(hubNode, LLMESH_TOPIC, report(agent)))
    expect([...store.state.reports.keys()]).toEqual([agent.toString()])
  })

  it('drops a peer on its signed goodbye, and ignores our own messages coming back', async () => {
    const store = freshStore()
    store.connection.beginConnect('/x', agent.toString(), 'first')
    store.peers.topologyReport({ peer: agent.toString(), connections: [{ peer: terminal.toString(), transport: 'tcp', direction: 'inbound', limited: false }], meshPeers: [] })
    store.peers.topologyReport({ peer: terminal.toString(), connections: [], meshPeers: [] })
    handleGossipMessage(store, self.toString(), await gossip(terminalNode, LLMESH_TOPIC, encodeExtensionMessage({ type: 'goodbye' })))
    expect(store.state.departed.has(terminal.toString())).toBe(true)
    expect(store.state.reports.has(terminal.toString())).toBe(false)
    handleGossipMessage(store, self.toString(), await gossip(terminalNode, CHAT_TOPIC, text('back again')))
    expect(store.state.departed.has(terminal.toString())).toBe(false)

    handleGossipMessage(store, self.toString(), await gossip(selfNode, CHAT_TOPIC, text('my own, emitted to me')))
    handleGossipMessage(store, self.toString(), await gossip(selfNode, LLMESH_TOPIC, encodeExtensionMessage({ type: 'presence', role: 'browser', name: 'me' })))
    expect(store.state.messages.map(m => m.text)).toEqual(['back again'])
    expect(store.state.peers.get(self.toString())!.name).not.toContain('?')
  })
})
