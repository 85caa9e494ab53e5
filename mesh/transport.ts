import type { Multiaddr } from '@multiformats/multiaddr'

/** The transports the visualizer draws differently. */
export type TransportName = 'tcp' | 'ws' | 'wss' | 'webrtc-direct' | 'webrtc' | 'relay' | 'other'

/** Which transport a connection (or a listen address) uses, read from its multiaddr. */
export function transportOf (addr: Multiaddr | string): TransportName {
  const text = addr.toString()
  if (text.includes('/p2p-circuit')) {
    // A direct WebRTC connection negotiated through a relay still says /webrtc after /p2p-circuit.
    return text.endsWith('/webrtc') || text.includes('/p2p-circuit/webrtc') ? 'webrtc' : 'relay'
  }
  if (text.includes('/webrtc-direct')) return 'webrtc-direct'
  if (text.includes('/webrtc')) return 'webrtc'
  if (text.includes('/wss') || text.includes('/tls/ws') || text.includes('/tls/sni/')) return 'wss'
  if (text.includes('/ws')) return 'ws'
  if (text.includes('/tcp/')) return 'tcp'
  return 'other'
}
