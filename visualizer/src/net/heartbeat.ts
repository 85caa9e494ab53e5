/**
 * Every few seconds: refresh our connection list (stream protocols change
 * without events), take each peer's RTT from libp2p's connection monitor
 * (which pings every connection and aborts the ones that stop answering),
 * send our topology report, drop reports from peers that went quiet, and end
 * streamed replies that stopped without `done`.
 */
import type { MeshStore } from '../store/index.ts'
import type { BrowserNode } from './browser-node.ts'
import { describeConnection } from './connection-view.ts'
import type { Publisher } from './publisher.ts'

export const HEARTBEAT_MS = 2000
/** The agent reports every few seconds; three missed reports mean it is gone. */
export const REPORT_MAX_AGE_MS = 20_000

/** `online()`: is the agent connected and synced, so that our topology report has an audience? */
export function startHeartbeat (node: BrowserNode, store: MeshStore, publisher: Publisher, online: () => boolean): () => void {
  let running = false
  const beat = async (): Promise<void> => {
    if (running) return
    running = true
    try {
      const connections = node.getConnections()
      store.peers.ownConnections(connections.map(describeConnection))
      for (const c of connections) if (c.rtt != null && Number.isFinite(c.rtt)) store.peers.rtt(c.remotePeer.toString(), c.rtt)
      store.peers.expireReports(Date.now(), REPORT_MAX_AGE_MS)
      store.pulses.expirePulses(Date.now())
      store.chat.expireStreams(Date.now())
      if (online()) await publisher.topology(store.state).catch(() => {})
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => { void beat() }, HEARTBEAT_MS)
  void beat()
  return () => { clearInterval(timer) }
}
