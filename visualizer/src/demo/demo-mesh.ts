/**
 * DEMO MODE — `?demo=200` — a performance harness, not a feature.
 *
 * Fills the store with N fake peers around a fake Alien X and sends fake
 * messages, so the topology view can be measured with a crowd (the target is
 * 60 fps with 200 peers). Nothing touches the network in this mode, and the UI
 * labels itself clearly as a demo.
 */
import type { MeshController } from '../net/controller.ts'
import type { MeshStore } from '../store/index.ts'
import type { ReportInfo } from '../store/peer-actions.ts'
import type { ConnectionView, TransportName } from '../store/types.ts'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function fakePeerId (random: () => number): string {
  let id = '12D3KooW'
  for (let i = 0; i < 44; i++) id += BASE58[Math.floor(random() * BASE58.length)]
  return id
}

/** A small seeded generator, so every demo run draws the same mesh. */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface DemoMesh {
  controller: MeshController
  peers: string[]
  stop: () => void
}

export function startDemoMesh (store: MeshStore, peerCount: number, options: { messageEveryMs?: number } = {}): DemoMesh {
  const random = seededRandom(42)
  const now = Date.now()
  store.setDemo(true)
  const self = fakePeerId(random)
  const agent = fakePeerId(random)
  store.peers.setSelf(self, 'llmesh/0.1.0 browser (browser) — demo')
  store.connection.beginConnect('/demo/fake-agent', agent, 'first')
  store.peers.identified(agent, { agentVersion: 'llmesh/0.1.0 agent (demo)', protocols: [], addresses: [] })
  store.peers.presence(agent, { role: 'agent', name: 'Alien X', provider: 'offline', model: 'persona' })

  const others = Array.from({ length: Math.max(0, peerCount - 2) }, () => fakePeerId(random))
  const agentConnections: ConnectionView[] = [{ peer: self, transport: 'webrtc-direct', direction: 'inbound', limited: false, rttMs: 1 }]
  const browsers: string[] = []
  for (const peer of others) {
    const terminal = random() < 0.3
    if (!terminal) browsers.push(peer)
    const transport: TransportName = terminal ? 'tcp' : random() < 0.5 ? 'ws' : 'webrtc-direct'
    agentConnections.push({ peer, transport, direction: 'inbound', limited: false, rttMs: Math.round(random() * 40), agentVersion: `llmesh/0.1.0 ${terminal ? 'terminal (node)' : 'browser (browser)'}` })
  }
  const reports: ReportInfo[] = [{ peer: agent, connections: agentConnections, meshPeers: others.filter(() => random() < 0.2).concat(self) }]
  // Browsers that found each other through the relay: a few direct WebRTC and relayed links.
  for (let i = 0; i + 1 < browsers.length; i += 4) {
    const a = browsers[i]!
    const b = browsers[i + 1]!
    reports.push({ peer: a, connections: [{ peer: b, transport: random() < 0.5 ? 'webrtc' : 'relay', direction: 'outbound', limited: false }], meshPeers: [b] })
  }
  const postReports = (at: number): void => { for (const report of reports) store.peers.topologyReport(report, at) }
  postReports(now)
  store.peers.ownConnections([{ id: 'demo', peer: agent, remoteAddr: '/ip4/127.0.0.1/udp/9095/webrtc-direct (demo)', transport: 'webrtc-direct', direction: 'outbound', encryption: '/noise', muxer: 'webrtc data channels', limited: false, streams: ['/meshsub/1.2.0'], openedAt: now }])
  store.peers.ownMeshPeers([agent])
  store.connection.synced('webrtc-direct')

  // Keep the fake reports fresh so they don't expire, and keep messages flowing.
  const timers = [
    setInterval(() => {
      const from = others[Math.floor(random() * others.length)] ?? agent
      store.pulses.pulse([from, agent, self])
      store.pulses.expirePulses(Date.now())
    }, options.messageEveryMs ?? 250),
    setInterval(() => { postReports(Date.now()) }, 5000)
  ]

  const controller: MeshController = {
    async connect () {},
    send (text) {
      store.chat.composed(text, { state: 'sent', recipients: others.length + 1, toAgent: true })
      store.pulses.pulse([self, agent])
      return true
    },
    resend () {},
    reconnectNow () {},
    async leave () {}
  }
  return { controller, peers: [self, agent, ...others], stop: () => { timers.forEach(clearInterval) } }
}
