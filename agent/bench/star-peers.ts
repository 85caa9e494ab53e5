/**
 * A worker process of the benchmark star: hosts a slice of the peers, each connected
 * only to the hub over WebSockets as a browser is, and reports when each of them
 * received which benchmark message. Several of these run at once so the peers use
 * both cores; every timestamp is `now()` (epoch-based, sub-millisecond), one clock
 * for all processes on the machine.
 *
 *   → { type: 'join', flavour, count, hub }   ← { type: 'joined' }
 *   → { type: 'publish', index, id }           ← { type: 'sent', id, at, recipients }
 *   → { type: 'load', rate, seconds }          ← { type: 'load-done', sent: [id, at, recipients][] }
 *   → { type: 'leave' }                        ← { type: 'left' }
 *   ← { type: 'receipts', items: [id, at][] }   (batched, as messages arrive)
 */
import '../../mesh/compat.ts'
import { createLibp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { installTopicValidators } from '../../mesh/gossip.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { now } from './stats.ts'

/** Benchmark chat is addressed to a classmate, not to the agent: the agent has no reason to answer it. */
export const BENCH_PREFIX = '@classmate bench '

export type PeerFlavour = 'llmesh' | 'plain'

let peers: Array<Libp2p<any>> = []
let receipts: Array<[string, number]> = []
const encoder = new TextEncoder()
const decoder = new TextDecoder()

setInterval(() => {
  if (receipts.length === 0) return
  process.send!({ type: 'receipts', items: receipts })
  receipts = []
}, 50).unref()

async function makePeer (flavour: PeerFlavour): Promise<Libp2p<any>> {
  if (flavour === 'llmesh') {
    const node = await createLibp2p({ ...nodePeerOptions({ role: 'browser', listen: [] }) })
    installTopicValidators(node.services.pubsub)
    return node
  }
  return await createLibp2p({
    addresses: { listen: [] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: gossipsub() }
  })
}

async function join (flavour: PeerFlavour, count: number, hub: string): Promise<void> {
  const address = multiaddr(hub)
  const created: Array<Libp2p<any>> = []
  // A few at a time: a classroom arrives over a few seconds, not in one instant (and the
  // hub admits only so many new connections a second from one host).
  for (let i = 0; i < count; i += 5) {
    created.push(...await Promise.all(Array.from({ length: Math.min(5, count - i) }, async () => {
      const peer = await makePeer(flavour)
      peer.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
        if (event.detail.topic !== CHAT_TOPIC) return
        const text = decoder.decode(event.detail.data)
        if (text.startsWith(BENCH_PREFIX)) receipts.push([text.slice(BENCH_PREFIX.length), now()])
      })
      peer.services.pubsub.subscribe(CHAT_TOPIC)
      // A loaded machine can time a dial out; try again before giving up on the peer.
      for (let attempt = 1; ; attempt++) {
        try {
          await peer.dial(address, { signal: AbortSignal.timeout(20_000) })
          return peer
        } catch (err) {
          if (attempt === 3) {
            failed++
            process.send!({ type: 'error', message: `a peer could not join: ${(err as Error).message}` })
            return peer
          }
          // The hub admits 50 new connections a second from one host (mesh/node-options.ts).
          await new Promise(resolve => setTimeout(resolve, 1000))
        }
      }
    })))
  }
  peers = created
}

let failed = 0

async function publish (index: number, id: string): Promise<[string, number, number]> {
  const at = now()
  try {
    const result = await peers[index]!.services.pubsub.publish(CHAT_TOPIC, encoder.encode(BENCH_PREFIX + id))
    return [id, at, result.recipients.length]
  } catch {
    return [id, at, 0]
  }
}

/**
 * Every local peer publishes `rate` messages a second for `seconds`. The schedule is
 * kept by the clock, not by counting timer ticks: a late tick sends what is owed.
 */
async function load (rate: number, seconds: number, tag: string): Promise<Array<[string, number, number]>> {
  const sent: Array<Promise<[string, number, number]>> = []
  const started = performance.now()
  let rounds = 0
  await new Promise<void>(resolve => {
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - started, seconds * 1000)
      const owed = Math.floor(elapsed / 1000 * rate)
      for (; rounds < owed; rounds++) {
        for (let i = 0; i < peers.length; i++) sent.push(publish(i, `${tag}-${i}-${rounds}`))
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(timer)
        resolve()
      }
    }, 10)
  })
  return await Promise.all(sent)
}

process.on('message', (msg: any) => {
  void (async () => {
    if (msg.type === 'join') {
      await join(msg.flavour, msg.count, msg.hub)
      process.send!({ type: 'joined', failed })
      failed = 0
    } else if (msg.type === 'publish') {
      const [id, at, recipients] = await publish(msg.index, msg.id)
      process.send!({ type: 'sent', id, at, recipients })
    } else if (msg.type === 'load') {
      process.send!({ type: 'load-done', sent: await load(msg.rate, msg.seconds, msg.tag) })
    } else if (msg.type === 'leave') {
      await Promise.all(peers.map(async peer => { await peer.stop() }))
      peers = []
      process.send!({ type: 'left' })
    } else if (msg.type === 'stop') {
      await Promise.all(peers.map(async peer => { await peer.stop() }))
      process.exit(0)
    } else if (msg.type === 'cpu') {
      const cpu = process.cpuUsage()
      process.send!({ type: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000 })
    }
  })().catch(err => { process.send!({ type: 'error', message: (err as Error).message }) })
})
process.on('disconnect', () => process.exit(0))
process.send!({ type: 'up' })
