/**
 * Which transport an address uses, read from its structure with
 * `@multiformats/multiaddr-matcher` (never by substring: a host called
 * `wss.example.com` does not make a TCP address a secure WebSocket).
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Circuit, TCP, WebRTC, WebRTCDirect, WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'

/** The transports the visualizer draws differently. */
export const TRANSPORT_NAMES = ['tcp', 'ws', 'wss', 'webrtc-direct', 'webrtc', 'relay', 'other'] as const
export type TransportName = typeof TRANSPORT_NAMES[number]

/** In this order: a relayed address also starts with the relay's own transport. */
const MATCHERS: Array<[TransportName, { exactMatch: (addr: Multiaddr) => boolean }]> = [
  // Browser-to-browser WebRTC, signalled through a relay (`…/p2p-circuit/webrtc`).
  ['webrtc', WebRTC],
  ['relay', Circuit],
  ['webrtc-direct', WebRTCDirect],
  ['wss', WebSocketsSecure],
  ['ws', WebSockets],
  ['tcp', TCP]
]

/** Which transport a connection (or a listen address) uses, read from its multiaddr. */
export function transportOf (addr: Multiaddr | string): TransportName {
  let parsed: Multiaddr
  try {
    parsed = typeof addr === 'string' ? multiaddr(addr) : addr
  } catch {
    return 'other'
  }
  return MATCHERS.find(([, matcher]) => matcher.exactMatch(parsed))?.[0] ?? 'other'
}
