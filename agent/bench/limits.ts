/**
 * Figure 6's "what breaks first": limits computed from the code and the machine
 * rather than by starting a thousand peers.
 */
import { readFile } from 'node:fs/promises'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { fitTopologyReport } from '../../mesh/topology-report.ts'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { HUB_MESH_DEGREE } from '../../mesh/gossip.ts'

export interface Limits {
  /** Peers whose connections all fit in the agent's topology report before `fitTopologyReport` trims it. */
  topologyReportFits: number
  /** The agent's connection manager limit. */
  maxConnections: number
  hubMeshDegree: number
  /** `ulimit -n` of this process (soft limit). */
  openFiles: number | undefined
}

export async function measureLimits (): Promise<Limits> {
  const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const fits = (n: number): boolean => {
    const connections = Array.from({ length: n }, () => ({ peer, transport: 'webrtc-direct' as const, direction: 'inbound' as const, limited: false, rttMs: 12.3, agentVersion: 'llmesh/0.1.0 browser (browser)' }))
    const report = { type: 'topology' as const, peer, connections, meshPeers: connections.map(c => c.peer) }
    const fitted = fitTopologyReport(report)
    return fitted.connections.length === n && fitted.meshPeers.length === n
  }
  let low = 1
  let high = 1000
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (fits(mid)) low = mid
    else high = mid - 1
  }
  let openFiles: number | undefined
  try {
    openFiles = Number(/Max open files\s+(\d+)/.exec(await readFile('/proc/self/limits', 'utf8'))?.[1])
  } catch {}
  return {
    topologyReportFits: low,
    maxConnections: nodePeerOptions({ role: 'agent' }).connectionManager.maxConnections,
    hubMeshDegree: HUB_MESH_DEGREE,
    openFiles
  }
}
