import type { TransportName } from '../../../mesh/transport.ts'

/** How a transport is named in the UI. */
export const TRANSPORT_LABELS: Record<TransportName, string> = {
  ws: 'WebSocket',
  wss: 'secure WebSocket',
  tcp: 'TCP',
  'webrtc-direct': 'WebRTC-direct',
  webrtc: 'WebRTC',
  relay: 'circuit relay',
  other: 'other'
}
