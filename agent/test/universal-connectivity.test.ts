/**
 * Peers written only from the wire contract in DESIGN.md, with none of LLMesh's
 * own code: plain libp2p, gossipsub as universal-connectivity's js-peer
 * configures it (StrictSign, its message id function as it writes it), UTF-8
 * text on the `universal-connectivity` topic. If these chat with the agent, keep
 * message ids in step with it and do not penalise it after a restart, so can the
 * universal-connectivity go, rust and js peers.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub, Message, SignedMessage } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { sha256 } from 'multiformats/hashes/sha2'
import { fromString, toString } from 'uint8arrays'
import { stopAll, testAgent } from './harness.ts'

afterAll(stopAll)

const TOPIC = 'universal-connectivity'

/** universal-connectivity js-peer's `msgIdFnStrictNoSign`, as that project writes it. */
async function msgIdFnStrictNoSign (msg: Message): Promise<Uint8Array> {
  const enc = new TextEncoder()
  const signedMessage = msg as SignedMessage
  const encodedSeqNum = enc.encode(signedMessage.sequenceNumber.toString())
  return await sha256.encode(encodedSeqNum)
}

interface Heard { from: string, text: string, msgId: string, ucId: Uint8Array }

interface UcPeer {
  node: Libp2p<{ pubsub: GossipSub }>
  heard: Heard[]
  say: (text: string) => Promise<void>
}

/**
 * A universal-connectivity js peer. `meshDegree` only narrows its gossipsub mesh
 * so that, with three peers, someone is outside someone's mesh and messages also
 * travel as IHAVE/IWANT, the path that breaks when two peers disagree on ids.
 */
async function ucPeer (meshDegree?: number): Promise<UcPeer> {
  const degree = meshDegree == null ? {} : { D: meshDegree, Dlo: meshDegree, Dhi: meshDegree, Dout: 0, Dscore: 0 }
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        msgIdFn: msgIdFnStrictNoSign,
        ignoreDuplicatePublishError: true,
        ...degree
      })
    }
  })
  const heard: Heard[] = []
  node.services.pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg, msgId } = event.detail
    if (msg.topic !== TOPIC || msg.type !== 'signed') return
    void msgIdFnStrictNoSign(msg).then(ucId => {
      heard.push({ from: msg.from.toString(), text: new TextDecoder().decode(msg.data), msgId, ucId })
    })
  })
  node.services.pubsub.subscribe(TOPIC)
  return {
    node,
    heard,
    say: async (text) => { await node.services.pubsub.publish(TOPIC, new TextEncoder().encode(text)) }
  }
}

/** Gossipsub's default string form of an id (base64) back to its bytes. */
const idBytes = (msgId: string): Uint8Array => fromString(msgId, 'base64')

/**
 * The score side of gossipsub's implementation. Its public interface does not
 * declare these methods, so fail loudly if a release renames them rather than
 * letting the restart test pass on `undefined`.
 */
interface ScoreView {
  getScore: (peer: string) => number
  dumpPeerScoreStats: () => Record<string, { behaviourPenalty: number } | undefined>
}
function scoresOf (node: Libp2p<any>): ScoreView {
  const pubsub = node.services.pubsub as Partial<ScoreView>
  if (typeof pubsub.getScore !== 'function' || typeof pubsub.dumpPeerScoreStats !== 'function') {
    throw new Error('gossipsub no longer has getScore/dumpPeerScoreStats: update this test to its new score API')
  }
  return pubsub as ScoreView
}

/** Broken IHAVE/IWANT promises and other misbehaviour `node` has counted against `peer`. */
const behaviourPenalty = (node: Libp2p<any>, peer: string): number => scoresOf(node).dumpPeerScoreStats()[peer]?.behaviourPenalty ?? 0

describe('universal-connectivity compatibility', () => {
  it('a universal-connectivity peer chats with the agent', async () => {
    const agent = await testAgent()
    const uc = await ucPeer()
    try {
      await uc.node.dial(multiaddr(agent.addresses.tcp[0]!))
      await expect.poll(() => uc.heard.find(m => m.from === agent.peerId), { timeout: 10_000, interval: 25, message: 'greeting' }).toBeDefined()
      await expect.poll(() => uc.node.services.pubsub.getSubscribers(TOPIC).length > 0, { timeout: 5000, interval: 25, message: 'agent subscription' }).toBe(true)
      await uc.say('Hello from a universal-connectivity peer. Who is here?')
      const answer = await vi.waitFor(() => {
        const found = uc.heard.find(m => m.from === agent.peerId && m.text.includes(uc.node.peerId.toString().slice(-6)) && !m.text.startsWith('🛸 Welcome'))
        if (found == null) throw new Error('still waiting for answer')
        return found
      }, { timeout: 10_000, interval: 25 })
      // Raw UTF-8, no envelope: the text is readable as is.
      expect(answer.text).not.toMatch(/^\s*[{[]/)
    } finally {
      await uc.node.stop()
    }
  })

  it('agent and universal-connectivity peers give every message the same id, byte for byte', async () => {
    const agent = await testAgent()
    const uc = await ucPeer()
    // What the agent's own gossipsub called each UC message, beside the UC function of it.
    const agentIds = new Map<string, { msgId: string, ucId: Uint8Array }>()
    agent.node.services.pubsub.addEventListener('gossipsub:message', (event: CustomEvent<{ msg: Message, msgId: string }>) => {
      const { msg, msgId } = event.detail
      if (msg.type !== 'signed' || msg.topic !== TOPIC) return
      void msgIdFnStrictNoSign(msg).then(ucId => agentIds.set(new TextDecoder().decode(msg.data), { msgId, ucId }))
    })
    try {
      await uc.node.dial(multiaddr(agent.addresses.tcp[0]!))
      // The agent's greeting: the id the UC peer's gossipsub used is the UC function of it…
      const greeting = await vi.waitFor(() => {
        const found = uc.heard.find(m => m.from === agent.peerId)
        if (found == null) throw new Error('still waiting for greeting')
        return found
      }, { timeout: 10_000, interval: 25 })
      expect(idBytes(greeting.msgId)).toHaveLength(32)
      expect(toString(idBytes(greeting.msgId), 'hex')).toBe(toString(greeting.ucId, 'hex'))

      // …and the agent's gossipsub gives a UC message the id its author's function gives it.
      await expect.poll(() => uc.node.services.pubsub.getSubscribers(TOPIC).length > 0, { timeout: 5000, interval: 25, message: 'agent subscription' }).toBe(true)
      await uc.say('ids, byte for byte')
      const seen = await vi.waitFor(() => {
        const found = agentIds.get('ids, byte for byte')
        if (found == null) throw new Error('still waiting for the agent receiving the UC message')
        return found
      }, { timeout: 5000, interval: 25 })
      expect(toString(idBytes(seen.msgId), 'hex')).toBe(toString(seen.ucId, 'hex'))
    } finally {
      await uc.node.stop()
    }
  })

  it('after an agent restart, chat through universal-connectivity peers costs no IHAVE/IWANT penalties', async () => {
    const first = await testAgent()
    const port = Number(multiaddr(first.addresses.tcp[0]!).getComponents().find(c => c.name === 'tcp')?.value)
    const home = first.dir
    const ucA = await ucPeer(1)
    const ucB = await ucPeer(1)
    try {
      await ucA.node.dial(ucB.node.getMultiaddrs()[0]!)
      for (const uc of [ucA, ucB]) await uc.node.dial(multiaddr(first.addresses.tcp[0]!))
      for (let i = 0; i < 5; i++) await ucA.say(`before the restart ${i}`)
      await expect.poll(() => ucB.heard.filter(m => m.text.startsWith('before the restart')).length === 5, { timeout: 10_000, interval: 25, message: 'chat before the restart' }).toBe(true)

      await first.stop()
      const agent = await testAgent({ tcpPort: port }, home)
      expect(agent.peerId).toBe(first.peerId)
      for (const uc of [ucA, ucB]) await uc.node.dial(multiaddr(agent.addresses.tcp[0]!))

      // Penalties decay within seconds, so watch their peak, not their last value.
      const agentId = agent.peerId
      const peak = new Map<string, number>()
      const watch = setInterval(() => {
        for (const uc of [ucA, ucB]) {
          const ucId = uc.node.peerId.toString()
          for (const [key, value] of [[`${ucId} → agent`, behaviourPenalty(uc.node, agentId)], [`agent → ${ucId}`, behaviourPenalty(agent.node, ucId)]] as const) {
            peak.set(key, Math.max(peak.get(key) ?? 0, value))
          }
        }
      }, 50)
      try {
        // Traffic in every direction while meshes re-form: the UC peers gossip ids of
        // messages the agent already has and the other way round.
        for (let i = 0; i < 10; i++) {
          await (i % 2 === 0 ? ucA : ucB).say(`after the restart ${i}`)
          await new Promise(resolve => setTimeout(resolve, 300))
        }
        await expect.poll(() => ucA.heard.some(m => m.from === agentId), { timeout: 10_000, interval: 25, message: 'the restarted agent greeting ucA' }).toBe(true)
        await expect.poll(() => ucB.heard.some(m => m.from === agentId), { timeout: 10_000, interval: 25, message: 'the restarted agent greeting ucB' }).toBe(true)
        await expect.poll(() => ucB.heard.some(m => m.text === 'after the restart 8'), { timeout: 10_000, interval: 25, message: 'ucA reaching ucB after the restart' }).toBe(true)
        // An IWANT promise is judged 3 s after it was made (gossipsub's iwantFollowupTime):
        // keep watching until every promise made above has been judged.
        await new Promise(resolve => setTimeout(resolve, 4000))
      } finally {
        clearInterval(watch)
      }
      expect(Object.fromEntries(peak), 'broken IHAVE/IWANT promises between the agent and UC peers').toEqual(Object.fromEntries([...peak.keys()].map(key => [key, 0])))
      expect(peak.size).toBe(4)
      for (const uc of [ucA, ucB]) {
        const ucId = uc.node.peerId.toString()
        expect(scoresOf(uc.node).getScore(agentId)).toBeGreaterThanOrEqual(0)
        expect(scoresOf(agent.node).getScore(ucId)).toBeGreaterThanOrEqual(0)
      }
    } finally {
      await ucA.node.stop()
      await ucB.node.stop()
    }
  })
})
