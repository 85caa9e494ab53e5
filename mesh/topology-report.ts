/**
 * A topology report must fit in one extension message. A very well connected
 * node (the agent with a classroom, a browser meshing with many peers) would
 * outgrow it, so every publisher trims its report here before encoding it.
 */
import type { TopologyReport } from './extension.ts'
import { MAX_EXTENSION_BYTES } from './protocol.ts'

type OutgoingTopologyReport = Omit<TopologyReport, 'v'>

/** Entries a report ever lists, whatever their size. */
export const MAX_REPORTED_PEERS = 500
/** Room left for the envelope gossipsub adds and the schema version. */
const ENVELOPE_BYTES = 2048

/** `report` with the tails of its lists dropped until it fits the extension message limit. */
export function fitTopologyReport (report: OutgoingTopologyReport, maxBytes = MAX_EXTENSION_BYTES - ENVELOPE_BYTES): OutgoingTopologyReport {
  let connections = report.connections.slice(0, MAX_REPORTED_PEERS)
  let meshPeers = report.meshPeers.slice(0, MAX_REPORTED_PEERS)
  const encoder = new TextEncoder()
  const size = (): number => encoder.encode(JSON.stringify({ ...report, connections, meshPeers })).byteLength
  while (size() > maxBytes) {
    if (connections.length >= meshPeers.length) connections = connections.slice(0, Math.floor(connections.length * 0.9))
    else meshPeers = meshPeers.slice(0, Math.floor(meshPeers.length * 0.9))
  }
  return { ...report, connections, meshPeers }
}
