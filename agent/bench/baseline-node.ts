/**
 * The baseline: a plain js-libp2p node with the same transports and no LLMesh
 * code, started as a child process by the benchmark.
 */
import '../../mesh/compat.ts'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { webRTCDirect } from '@libp2p/webrtc'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/udp/0/webrtc-direct'] },
  transports: [tcp(), webSockets(), webRTCDirect()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), pubsub: gossipsub() }
})
for (const addr of node.getMultiaddrs()) console.log(addr.toString())
console.log('ready')
process.on('SIGTERM', () => { void Promise.resolve(node.stop()).then(() => process.exit(0)) })
