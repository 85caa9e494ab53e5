/**
 * Gossip messages as libp2p hands them over, turned into store actions.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { GossipsubMessage } from '@libp2p/gossipsub'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeExtensionMessage } from '../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { handleGossipMessage } from '../src/net/gossip-handler.ts'
import { createMeshStore } from '../src/store/index.ts'

let self: PeerId, agent: PeerId, terminal: PeerId
beforeAll(async () => {
  const newPeerId = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  self = await newPeerId()
  agent = await newPeerId()
  terminal = await newPeerId()
})

let seq = 1n
function gossip (from: PeerId, via: PeerId, topic: string, data: Uint8Array): GossipsubMessage {
  return {
    propagationSource: via,
    msgId: String(seq),
    msg: { type: 'signed', from, topic, data, sequenceNumber: seq++, signature: new Uint8Array(), key: from.publicKey! }
  } as unknown as GossipsubMessage
}

const text = (s: string) => new TextEncoder().encode(s)

function freshStore () {
  const store = createMeshStore()
  store.peers.setSelf(self.toString(), 'x')
  return store
}

describe('handleGossipMessage', () => {
  it('adds chat text and a pulse along the path it came', () => {
    const store = freshStore()
    handleGossipMessage(store, self.toString(), gossip(terminal, agent, CHAT_TOPIC, text('hello mesh')), 100)
    expect(store.state.messages[0]).toMatchObject({ from: terminal.toString(), text: 'hello mesh', own: false })
    expect(store.state.pulses[0]!.path).toEqual([terminal.toString(), agent.toString(), self.toString()])
  })

  it('drops unsigned messages and invalid text', () => {
    const store = freshStore()
    const unsigned = gossip(terminal, terminal, CHAT_TOPIC, text('x'))
    ;(unsigned.msg as { type: string }).type = 'unsigned'
    handleGossipMessage(store, self.toString(), unsigned)
    handleGossipMessage(store, self.toString(), gossip(terminal, terminal, CHAT_TOPIC, new Uint8Array([0xff, 0xfe])))
    expect(store.state.messages).toHaveLength(0)
  })

  it('learns presence and assembles streamed replies with one pulse per reply', () => {
    const store = freshStore()
    const from = agent.toString()
    store.connection.beginConnect('/x', from, 'first')
    handleGossipMessage(store, self.toString(), gossip(agent, agent, LLMESH_TOPIC, encodeExtensionMessage({ type: 'presence', role: 'agent', name: 'Alien X', provider: 'ollama', model: 'llama3.2' })))
    expect(store.state.peers.get(from)).toMatchObject({ kind: 'agent', name: 'Alien X' })
    for (const [index, delta] of ['The ', 'stars ', 'agree.'].entries()) {
      handleGossipMessage(store, self.toString(), gossip(agent, agent, LLMESH_TOPIC, encodeExtensionMessage({ type: 'reply', replyId: 'a1', index, delta, done: index === 2, provider: 'ollama', model: 'llama3.2' })))
    }
    expect(store.state.messages).toHaveLength(1)
    expect(store.state.messages[0]).toMatchObject({ text: 'The stars agree.', reply: { streaming: false, model: 'llama3.2' } })
    expect(store.state.pulses).toHaveLength(1)
  })

  it('accepts a topology report only from the peer it describes', () => {
    const store = freshStore()
    const report = (peer: PeerId) => encodeExtensionMessage({ type: 'topology', peer: peer.toString(), connections: [{ peer: self.toString(), transport: 'ws', direction: 'inbound', limited: false }], meshPeers: [] })
    handleGossipMessage(store, self.toString(), gossip(terminal, agent, LLMESH_TOPIC, report(agent)))
    expect(store.state.reports.size).toBe(0)
    handleGossipMessage(store, self.toString(), gossip(agent, agent, LLMESH_TOPIC, report(agent)))
    expect([...store.state.reports.keys()]).toEqual([agent.toString()])
  })

  it('drops a peer on its signed goodbye, and ignores our own messages coming back', () => {
    const store = freshStore()
    store.connection.beginConnect('/x', agent.toString(), 'first')
    store.peers.topologyReport({ peer: agent.toString(), connections: [{ peer: terminal.toString(), transport: 'tcp', direction: 'inbound', limited: false }], meshPeers: [] })
    store.peers.topologyReport({ peer: terminal.toString(), connections: [], meshPeers: [] })
    handleGossipMessage(store, self.toString(), gossip(terminal, agent, LLMESH_TOPIC, encodeExtensionMessage({ type: 'goodbye' })))
    expect(store.state.departed.has(terminal.toString())).toBe(true)
    expect(store.state.reports.has(terminal.toString())).toBe(false)
    handleGossipMessage(store, self.toString(), gossip(terminal, agent, CHAT_TOPIC, text('back again')))
    expect(store.state.departed.has(terminal.toString())).toBe(false)

    handleGossipMessage(store, self.toString(), gossip(self, self, CHAT_TOPIC, text('my own, emitted to me')))
    handleGossipMessage(store, self.toString(), gossip(self, self, LLMESH_TOPIC, encodeExtensionMessage({ type: 'presence', role: 'browser', name: 'me' })))
    expect(store.state.messages.map(m => m.text)).toEqual(['back again'])
    expect(store.state.peers.get(self.toString())!.name).not.toContain('?')
  })
})
