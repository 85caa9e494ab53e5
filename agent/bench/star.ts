/**
 * Figures 1, 2 and 6: a star of peers around one hub (the agent, or a plain
 * js-libp2p node), every peer connected only to the hub over WebSockets as the
 * browsers are. The peers live in a few worker processes (star-peers.ts) so both
 * cores work; the hub lives in its own (hub-process.ts) so its RSS and CPU are
 * its own. The bench process only directs and counts.
 */
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { installTopicValidators } from '../../mesh/gossip.ts'
import { parseExtensionMessage } from '../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { BenchProcess } from './processes.ts'
import { PLAIN_HUB_NAME } from './hubs.ts'
import type { HubKind } from './hubs.ts'
import type { PeerFlavour } from './star-peers.ts'
import { now, sleep, summarize, until } from './stats.ts'
import type { Summary } from './stats.ts'

export interface HubStats { rss: number, heapUsed: number, cpuMs: number, subscribers: number, meshPeers: number, connections: number, heartbeatMs: number, fds: number }

export interface ScaleResult {
  hub: HubKind
  /** The hub ran compiled, under plain node instead of tsx. */
  compiled?: boolean
  peers: number
  messages: number
  /** Receipts that arrived, of messages × (peers − 1). */
  delivered: number
  /** Messages that reached every other peer. */
  allDelivered: number
  /** Publish → last peer, for messages that reached everyone. */
  allDeliveredMs: Summary
  /** Publish → each receipt. */
  receiptMs: Summary
  meshPeers: number
  joinMs: number
  hubRssMB: number
  hubIdleRssMB: number
  perPeerKB: number
  /** Hub CPU while the messages flowed, % of one core. */
  hubCpuPct: number
  /** The longest of the hub's last 20 gossipsub heartbeats. */
  heartbeatMs: number
  /** The hub's open file descriptors with every peer connected. */
  hubFds: number
  /** The peer processes' CPU meanwhile, % of one core, all of them together. */
  workersCpuPct: number
}

export interface LoadResult {
  hub: HubKind
  peers: number
  rate: number
  seconds: number
  published: number
  /** Publishes that gossipsub handed to nobody (no stream to the hub at that moment). */
  publishedToNobody: number
  delivered: number
  /** How late the last publish went out, vs. the schedule: the workers' own lag. */
  publishLagMs: number
  idleRoundTripMs: Summary
  loadRoundTripMs: Summary
  /** Questions during the load that got no answer within the timeout. */
  unanswered: number
  hubCpuPct: number
  workersCpuPct: number
  /** Hub CPU per published message (its verification, and one copy to each other peer): 1000 / this is what one core could forward. */
  hubCpuMsPerMessage: number
}

const MB = 1024 * 1024

export class Star {
  private readonly receipts = new Map<string, number[]>()
  private hub?: BenchProcess
  private hubName?: string
  private hubWs?: string
  private perWorker: number[] = []
  private asker?: Libp2p<any>

  private constructor (private readonly workers: BenchProcess[], private readonly hubNodeArgs: string[] = []) {
    for (const worker of workers) {
      worker.on(msg => {
        if (msg.type !== 'receipts') return
        for (const [id, at] of msg.items as Array<[string, number]>) {
          const list = this.receipts.get(id)
          if (list != null) list.push(at)
          else this.receipts.set(id, [at])
        }
      })
    }
  }

  /** `hubNodeArgs`: extra node flags for every hub process, e.g. `--cpu-prof`. */
  static async start (workerCount: number, hubNodeArgs: string[] = []): Promise<Star> {
    const workers = await Promise.all(Array.from({ length: workerCount }, async () => (await BenchProcess.start('./star-peers.ts', [], 'up')).process))
    return new Star(workers, hubNodeArgs)
  }

  async stop (): Promise<void> {
    await this.close()
    await Promise.all(this.workers.map(async w => { await w.stop() }))
  }

  async hubStats (): Promise<HubStats> {
    return await this.hub!.request({ type: 'stats' }, 'stats')
  }

  /** Start a hub and `peers` peers around it; returns the join time. */
  async open (hub: HubKind, flavour: PeerFlavour, peers: number, rateBurst = 3, hubScript = './hub-process.ts'): Promise<{ joinMs: number, idle: HubStats }> {
    const started = await BenchProcess.start(hubScript, [hub, String(rateBurst)], 'ready', this.hubNodeArgs)
    this.hub = started.process
    this.hubWs = started.ready.ws
    this.hubName = started.ready.agentName
    await sleep(300)
    const idle = await this.hubStats()
    const t0 = performance.now()
    this.perWorker = this.workers.map((_, w) => Math.floor(peers / this.workers.length) + (w < peers % this.workers.length ? 1 : 0))
    await Promise.all(this.workers.map(async (worker, w) => {
      if (this.perWorker[w] === 0) return
      await worker.request({ type: 'join', flavour, count: this.perWorker[w], hub: this.hubWs }, 'joined')
    }))
    // Until the hub knows every subscriber — or stops learning of new ones (a hub that
    // graylists the peers never hears their subscriptions).
    let stats = await this.hubStats()
    let progressAt = performance.now()
    while (stats.subscribers < peers && performance.now() - progressAt < 5000) {
      await sleep(100)
      const next = await this.hubStats()
      if (next.subscribers > stats.subscribers) progressAt = performance.now()
      stats = next
    }
    const joinMs = performance.now() - t0
    // Let the mesh settle: grafts on subscribe, then a heartbeat or two of pruning.
    let last = -1
    for (let i = 0; i < 30 && stats.meshPeers !== last; i++) {
      last = stats.meshPeers
      await sleep(i === 0 ? 1200 : 500)
      stats = await this.hubStats()
    }
    return { joinMs, idle }
  }

  async close (): Promise<void> {
    await this.asker?.stop()
    this.asker = undefined
    await Promise.all(this.workers.map(async (worker, w) => {
      if ((this.perWorker[w] ?? 0) > 0) await worker.request({ type: 'leave' }, 'left')
    }))
    this.perWorker = []
    await this.hub?.stop()
    this.hub = undefined
  }

  private workerOf (index: number): { worker: BenchProcess, local: number } {
    let i = index
    for (let w = 0; w < this.workers.length; w++) {
      if (i < this.perWorker[w]!) return { worker: this.workers[w]!, local: i }
      i -= this.perWorker[w]!
    }
    throw new Error(`no peer ${index}`)
  }

  /** `messages` messages, each from the next peer in turn, one every `intervalMs`. */
  async chat (hub: HubKind, peers: number, messages: number, intervalMs: number, drainMs: number, join: { joinMs: number, idle: HubStats }): Promise<ScaleResult> {
    const before = await this.hubStats()
    const workersBefore = await this.workersCpu()
    const sent = new Map<string, number>()
    const cpuStart = performance.now()
    const publishes: Array<Promise<void>> = []
    for (let m = 0; m < messages; m++) {
      const id = `${hub}-${peers}-${m}-${Math.random().toString(36).slice(2, 8)}`
      this.receipts.set(id, [])
      const { worker, local } = this.workerOf(m % peers)
      publishes.push(worker.request({ type: 'publish', index: local, id }, 'sent').then(msg => { sent.set(msg.id, msg.at) }))
      await sleep(intervalMs)
    }
    await Promise.all(publishes)
    const expected = peers - 1
    const ids = [...sent.keys()]
    await until(() => ids.every(id => this.receipts.get(id)!.length >= expected), drainMs, 50)
    const after = await this.hubStats()
    const workersAfter = await this.workersCpu()
    const cpuWall = performance.now() - cpuStart

    const allDeliveredMs: number[] = []
    const receiptMs: number[] = []
    let delivered = 0
    for (const id of ids) {
      const at = sent.get(id)!
      const got = this.receipts.get(id)!
      delivered += got.length
      for (const t of got) receiptMs.push(t - at)
      if (got.length >= expected) allDeliveredMs.push(Math.max(...got) - at)
      this.receipts.delete(id)
    }
    return {
      hub,
      peers,
      messages,
      delivered: delivered / (messages * expected),
      allDelivered: allDeliveredMs.length,
      allDeliveredMs: summarize(allDeliveredMs),
      receiptMs: summarize(receiptMs),
      meshPeers: before.meshPeers,
      joinMs: join.joinMs,
      hubRssMB: before.rss / MB,
      hubIdleRssMB: join.idle.rss / MB,
      perPeerKB: (before.rss - join.idle.rss) / 1024 / peers,
      hubCpuPct: (after.cpuMs - before.cpuMs) / cpuWall * 100,
      heartbeatMs: after.heartbeatMs,
      hubFds: after.fds,
      workersCpuPct: (workersAfter - workersBefore) / cpuWall * 100
    }
  }

  private async workersCpu (): Promise<number> {
    const each = await Promise.all(this.workers.map(async w => (await w.request({ type: 'cpu' }, 'cpu')).cpuMs as number))
    return each.reduce((a, b) => a + b, 0)
  }

  /** A peer in this process that asks the hub (agent or plain echo) and times the first sign of an answer. */
  private async openAsker (): Promise<Libp2p<any>> {
    const node = await createLibp2p(nodePeerOptions({ role: 'browser', listen: [] }))
    installTopicValidators(node.services.pubsub)
    node.services.pubsub.subscribe(CHAT_TOPIC)
    node.services.pubsub.subscribe(LLMESH_TOPIC)
    await node.dial(multiaddr(this.hubWs!))
    await until(() => node.services.pubsub.getSubscribers(CHAT_TOPIC).length > 0, 10_000)
    await sleep(1200)
    this.asker = node
    return node
  }

  /** Round trips: ask every `gapMs` for `seconds`, one question outstanding at a time. */
  async roundTrips (seconds: number, gapMs: number, timeoutMs = 3000): Promise<{ ms: number[], unanswered: number }> {
    const node = this.asker ?? await this.openAsker()
    const self = node.peerId.toString()
    const ms: number[] = []
    let unanswered = 0
    let waiting: ((at: number) => void) | undefined
    let tag = ''
    const onMessage = (event: CustomEvent<Message>): void => {
      const msg = event.detail
      const at = now()
      if (msg.topic === LLMESH_TOPIC) {
        const ext = parseExtensionMessage(msg.data)
        if (ext?.type === 'reply' && ext.inReplyTo?.from === self) waiting?.(at)
      } else if (msg.topic === CHAT_TOPIC && new TextDecoder().decode(msg.data).startsWith(`re: @${PLAIN_HUB_NAME} ${tag}`)) {
        waiting?.(at)
      }
    }
    node.services.pubsub.addEventListener('message', onMessage)
    const deadline = performance.now() + seconds * 1000
    let n = 0
    while (performance.now() < deadline) {
      tag = `q${n++}-${Math.random().toString(36).slice(2, 6)}`
      const text = this.hubName != null ? `@${this.hubName} ${tag} what is gossipsub?` : `@${PLAIN_HUB_NAME} ${tag}`
      const answered = new Promise<number | undefined>(resolve => {
        waiting = resolve
        setTimeout(() => resolve(undefined), timeoutMs)
      })
      const at = now()
      await node.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))
      const got = await answered
      waiting = undefined
      if (got == null) unanswered++
      else ms.push(got - at)
      // Let the rest of the answer stream past before the next question.
      await sleep(gapMs)
    }
    node.services.pubsub.removeEventListener('message', onMessage)
    return { ms, unanswered }
  }

  /** Every peer publishes `rate` messages/s for `seconds` while the asker asks. */
  async load (hub: HubKind, peers: number, rate: number, seconds: number, idleSeconds: number, drainMs: number): Promise<LoadResult> {
    const idle = await this.roundTrips(idleSeconds, 150)
    const before = await this.hubStats()
    const workersBefore = await this.workersCpu()
    const t0 = performance.now()
    const tag = `load-${hub}-${Math.random().toString(36).slice(2, 6)}`
    const trips = this.roundTrips(seconds, 150)
    const loads = await Promise.all(this.workers.map(async (worker, w) => {
      if ((this.perWorker[w] ?? 0) === 0) return []
      return (await worker.request({ type: 'load', rate, seconds, tag: `${tag}-${w}` }, 'load-done', (seconds + 60) * 1000)).sent as Array<[string, number, number]>
    }))
    const during = await trips
    const sent = loads.flat()
    const loadWall = performance.now() - t0
    const after = await this.hubStats()
    const workersAfter = await this.workersCpu()
    const expected = peers - 1
    await until(() => sent.every(([id]) => (this.receipts.get(id)?.length ?? 0) >= expected), drainMs, 100)
    let delivered = 0
    for (const [id] of sent) {
      delivered += Math.min(expected, this.receipts.get(id)?.length ?? 0)
      this.receipts.delete(id)
    }
    const lastScheduled = Math.max(...sent.map(([, at]) => at)) - Math.min(...sent.map(([, at]) => at))
    return {
      hub,
      peers,
      rate,
      seconds,
      published: sent.length,
      publishedToNobody: sent.filter(([, , recipients]) => recipients === 0).length,
      delivered: sent.length === 0 ? 0 : delivered / (sent.length * expected),
      publishLagMs: Math.max(0, lastScheduled - seconds * 1000),
      idleRoundTripMs: summarize(idle.ms),
      loadRoundTripMs: summarize(during.ms),
      unanswered: during.unanswered,
      hubCpuPct: (after.cpuMs - before.cpuMs) / loadWall * 100,
      workersCpuPct: (workersAfter - workersBefore) / loadWall * 100,
      hubCpuMsPerMessage: sent.length === 0 ? NaN : (after.cpuMs - before.cpuMs) / sent.length
    }
  }
}
