/**
 * The hub of a benchmark star, in a process of its own so its RSS and CPU are its
 * own: `agent` (Alien X, as `npm start` runs it, offline persona), `plain` (a plain
 * js-libp2p node, gossipsub defaults), `plain-tuned` (the same with LLMesh's hub
 * degree and loopback exempt from colocation scoring, so the comparison is fair) or
 * `past-limit` (plain-tuned with a mesh degree of only PAST_LIMIT_DEGREE: a star
 * larger than the hub's mesh).
 * Forked by the benchmark; talks over IPC.
 *
 *   → { type: 'stats' }          ← { type: 'stats', rss, heapUsed, cpuMs, subscribers, meshPeers }
 *   → { type: 'heap-snapshot', path }
 *   ← { type: 'ready', ws, agentName? }   (once, after start)
 */
import '../../mesh/compat.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { readdirSync } from 'node:fs'
import { createLibp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { tcp } from '@libp2p/tcp'
import { webRTCDirect } from '@libp2p/webrtc'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { hubGossipOptions, meshScoreParams } from '../../mesh/gossip.ts'
import { meshPeersOf } from '../../mesh/gossipsub-internals.ts'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { PAST_LIMIT_DEGREE, PLAIN_HUB_NAME } from './hubs.ts'
import type { HubKind } from './hubs.ts'


const kind = process.argv[2] as HubKind
const rateBurst = Number(process.argv[3] ?? 3)
const dir = await mkdtemp(join(tmpdir(), 'llmesh-bench-hub-'))

let node: Libp2p<any>
let stop: () => Promise<void>
let agentName: string | undefined

if (kind === 'agent') {
  const { startAgent } = await import('../agent.ts')
  const agent = await startAgent({ host: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcPort: 0, mdns: false, keyFile: join(dir, 'agent.key'), llm: { offlineOnly: true }, rateBurst })
  node = agent.node
  agentName = agent.name
  stop = agent.stop
} else {
  node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/udp/0/webrtc-direct'] },
    transports: [tcp(), webSockets(), webRTCDirect()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The agent's connection limits (a plain node's defaults refuse a host's 6th inbound
    // connection within a second): only the gossip settings differ between the hubs.
    connectionManager: nodePeerOptions({ role: 'agent' }).connectionManager,
    services: {
      identify: identify(),
      pubsub: gossipsub(kind === 'plain-tuned'
        ? { ...hubGossipOptions(), scoreParams: meshScoreParams() }
        : kind === 'past-limit' ? { ...hubGossipOptions(PAST_LIMIT_DEGREE), scoreParams: meshScoreParams() } : {})
    }
  })
  node.services.pubsub.subscribe(CHAT_TOPIC)
  // The baseline's "answer": an echo of chat addressed to it, so a round trip has the same shape.
  node.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
    const text = new TextDecoder().decode(event.detail.data)
    if (event.detail.topic === CHAT_TOPIC && text.startsWith(`@${PLAIN_HUB_NAME} `)) {
      void node.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(`re: ${text}`)).catch(() => {})
    }
  })
  stop = async () => { await node.stop() }
}

// How long each gossipsub heartbeat takes: it walks every topic peer once a second.
const heartbeats: number[] = []
const pubsub = node.services.pubsub as { heartbeat: () => Promise<void> }
const heartbeat = pubsub.heartbeat.bind(pubsub)
pubsub.heartbeat = async () => {
  const started = performance.now()
  try {
    await heartbeat()
  } finally {
    heartbeats.push(performance.now() - started)
    if (heartbeats.length > 20) heartbeats.shift()
  }
}

const cpuAtStart = process.cpuUsage()
process.on('message', (msg: { type: string, path?: string }) => {
  if (msg.type === 'stats') {
    const cpu = process.cpuUsage(cpuAtStart)
    process.send!({
      type: 'stats',
      rss: process.memoryUsage.rss(),
      heapUsed: process.memoryUsage().heapUsed,
      cpuMs: (cpu.user + cpu.system) / 1000,
      subscribers: node.services.pubsub.getSubscribers(CHAT_TOPIC).length,
      meshPeers: meshPeersOf(node.services.pubsub, CHAT_TOPIC).length,
      connections: node.getConnections().length,
      heartbeatMs: heartbeats.length === 0 ? 0 : Math.max(...heartbeats),
      fds: readdirSync('/proc/self/fd').length
    })
  } else if (msg.type === 'heap-snapshot' && msg.path != null) {
    writeHeapSnapshot(msg.path)
    process.send!({ type: 'heap-snapshot', path: msg.path })
  } else if (msg.type === 'stop') {
    void stop().finally(() => { void rm(dir, { recursive: true, force: true }).finally(() => process.exit(0)) })
  }
})
process.on('disconnect', () => { void stop().finally(() => process.exit(0)) })

const ws = node.getMultiaddrs().map(String).find(a => a.includes('/ws/'))!
process.send!({ type: 'ready', ws, ...(agentName != null ? { agentName } : {}) })
