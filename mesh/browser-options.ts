/**
 * The libp2p option set for a browser peer (the visualizer).
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { isLoopback, isPrivate } from '@libp2p/utils'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import type { PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2pOptions } from 'libp2p'
import { meshGossipsub } from './gossip.ts'
import { LLMESH_VERSION, llmeshAgentVersion } from './protocol.ts'

export interface BrowserPeerOptions {
  privateKey?: PrivateKey
  /**
   * Also allow dialing private LAN addresses (10/8, 192.168/16, …); loopback is always
   * allowed. A function is asked at every dial, so the answer can change while the node runs.
   */
  allowLan?: boolean | (() => boolean)
}

/**
 * Browsers refuse private addresses by default. LLMesh usually runs its agent on
 * 127.0.0.1, so loopback is allowed deliberately, and the LAN only when asked.
 */
export function browserDialAllowed (addr: Multiaddr, allowLan: boolean): boolean {
  if (isLoopback(addr)) return true
  if (isPrivate(addr)) return allowLan
  return true
}

export function browserPeerOptions (options: BrowserPeerOptions = {}) {
  const { allowLan = false } = options
  const lanAllowed = typeof allowLan === 'function' ? allowLan : () => allowLan
  return {
    ...(options.privateKey != null ? { privateKey: options.privateKey } : {}),
    nodeInfo: { name: 'llmesh', version: LLMESH_VERSION, userAgent: llmeshAgentVersion('browser', 'browser') },
    addresses: {
      // Reachable by other browsers through a relay reservation, then upgraded to direct WebRTC.
      listen: ['/p2p-circuit', '/webrtc']
    },
    transports: [webSockets(), webRTC(), webRTCDirect(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: {
      denyDialMultiaddr: (addr: Multiaddr) => !browserDialAllowed(addr, lanAllowed())
    },
    // A killed agent says no goodbye over WebRTC-direct (UDP): ping every 2 s (default 10 s)
    // so the visualizer notices within seconds; connections report the RTT as `connection.rtt`.
    connectionMonitor: { pingInterval: 2000, pingTimeout: { minTimeout: 2000 } },
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      pubsub: meshGossipsub()
    }
  } satisfies Libp2pOptions<any>
}
