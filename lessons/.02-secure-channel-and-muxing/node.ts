/**
 * Lesson 2 — Secure channel and muxing
 *
 * This is your node from lesson 1. Read the lesson with `npm run lesson 2`,
 * work through the TODOs, then run `npm run check`.
 */
import '../../mesh/compat.ts' // Node 20 polyfills for libp2p: keep this line first.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { llmeshAgentVersion } from '../../mesh/protocol.ts'

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
  // TODO 1 — encrypt and authenticate: replace plaintext() with noise(),
  // and delete the plaintext import above (a node that still offers plaintext
  // can be talked into using it).
  connectionEncrypters: [plaintext()]
  // TODO 2 — carry many streams over one connection: add `streamMuxers: [yamux()]`.
  // TODO 3 — answer ping and identify: add `services: { identify: identify(), ping: ping() }`.
  // TODO 4 — say who you are in identify: add
  //          `nodeInfo: { userAgent: llmeshAgentVersion('terminal', 'node') }`.
})

// Every connection reports what it negotiated; watch this line change as you go.
node.addEventListener('connection:open', (event) => {
  const connection = event.detail
  console.log(`connection from ${connection.remotePeer} (${connection.encryption} + ${connection.multiplexer})`)
})

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}
