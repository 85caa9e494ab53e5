/**
 * What the store keeps about one of our libp2p connections.
 */
import type { Connection } from '@libp2p/interface'
import { transportOf } from '../../../mesh/transport.ts'
import type { NegotiatedConnection } from '../store/types.ts'

export function describeConnection (connection: Connection): NegotiatedConnection {
  const remoteAddr = connection.remoteAddr.toString()
  return {
    id: connection.id,
    peer: connection.remotePeer.toString(),
    remoteAddr,
    transport: transportOf(remoteAddr),
    direction: connection.direction,
    ...(connection.encryption != null ? { encryption: connection.encryption } : {}),
    ...(connection.multiplexer != null ? { muxer: connection.multiplexer } : {}),
    limited: connection.limits != null,
    streams: [...new Set(connection.streams.map(s => s.protocol).filter((p): p is string => p != null && p !== ''))].sort(),
    openedAt: connection.timeline.open
  }
}
