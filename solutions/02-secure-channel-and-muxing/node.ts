/**
 * Lesson 2 — Secure channel and muxing (reference solution).
 *
 * The lesson 1 node, now with an encrypted, authenticated channel (Noise),
 * many streams over one connection (Yamux), and two protocols that run on
 * those streams: identify ("who are you, what do you speak?"), ping, and a
 * protocol of its own, /llmesh/echo/1.0.0.
 */
import '../../mesh/compat.ts' // Node 20 polyfills for libp2p: keep this line first.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { llmeshAgentVersion } from '../../mesh/protocol.ts'

/** Our own protocol: whatever arrives on a stream goes back on the same stream. */
const ECHO_PROTOCOL = '/llmesh/echo/1.0.0'

// The checker tells the node where to listen and which key to use; 0 means "any free port".
const keyFile = process.env.LLMESH_KEY_FILE ?? '.llmesh/node.key'
const tcpPort = process.env.LLMESH_TCP_PORT ?? '0'
const wsPort = process.env.LLMESH_WS_PORT ?? '0'

/** Your peer id is derived from this key: same key file, same peer id, same addresses. */
async function loadOrCreateKey (file: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(await readFile(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = await generateKeyPair('Ed25519')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}

const node = await createLibp2p({
  privateKey: await loadOrCreateKey(keyFile),
  addresses: {
    listen: [
      `/ip4/127.0.0.1/tcp/${tcpPort}`,
      `/ip4/127.0.0.1/tcp/${wsPort}/ws`
    ]
  },
  transports: [tcp(), webSockets()],
  // Noise encrypts every byte and proves the remote holds the key behind its peer id.
  connectionEncrypters: [noise()],
  // Yamux carries many independent streams (identify, ping, chat…) over one connection.
  streamMuxers: [yamux()],
  // What identify reports as our "agent version".
  nodeInfo: { userAgent: llmeshAgentVersion('terminal', 'node') },
  services: {
    identify: identify(),
    ping: ping()
  }
})

// Each stream is its own conversation; yamux keeps them apart on one connection.
await node.handle(ECHO_PROTOCOL, async (stream) => {
  for await (const chunk of stream) stream.send(chunk)
  await stream.close()
})

node.addEventListener('connection:open', (event) => {
  const connection = event.detail
  console.log(`connection from ${connection.remotePeer} (${connection.encryption} + ${connection.multiplexer})`)
})

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}
