/**
 * Every few seconds: refresh our connection list (stream protocols change
 * without events), ping our peers for RTT, send our topology report, and drop
 * reports from peers that went quiet.
 */
import type { MeshStore } from '../store/index.ts'
import type { BrowserNode } from './browser-node.ts'
import { describeConnection } from './connection-view.ts'
import type { Publisher } from './publisher.ts'

export const HEARTBEAT_MS = 3000
/** The agent reports every few seconds; three missed reports mean it is gone. */
export const REPORT_MAX_AGE_MS = 20_000

export function startHeartbeat (node: BrowserNode, store: MeshStore, publisher: Publisher, online: () => boolean): () => void {
  let running = false
  const beat = async (): Promise<void> => {
    if (running) return
    running = true
    try {
      store.peers.ownConnections(node.getConnections().map(describeConnection))
      store.peers.expireReports(Date.now(), REPORT_MAX_AGE_MS)
      store.pulses.expirePulses(Date.now())
      await pingPeers(node, store)
      if (online()) await publisher.topology(store.state).catch(() => {})
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => { void beat() }, HEARTBEAT_MS)
  void beat()
  return () => { clearInterval(timer) }
}

async function pingPeers (node: BrowserNode, store: MeshStore): Promise<void> {
  const peers = new Map(node.getConnections().filter(c => c.limits == null).map(c => [c.remotePeer.toString(), c.remotePeer]))
  await Promise.all([...peers.values()].map(async peerId => {
    try {
      const ms = await node.services.ping.ping(peerId, { signal: AbortSignal.timeout(2000) })
      store.peers.rtt(peerId.toString(), ms)
    } catch {
      // A peer without the ping protocol (or a slow one) just shows no RTT.
    }
  }))
}
