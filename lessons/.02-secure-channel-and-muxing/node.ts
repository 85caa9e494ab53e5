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

/** The protocol of your own (TODO 5). */
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
  // TODO 1 — encrypt and authenticate every connection with Noise (@libp2p/noise,
  //          imported above) instead of plaintext, and make plaintext impossible:
  //          a node that still offers it can be talked into using it.
  connectionEncrypters: [plaintext()]
  // TODO 2 — carry many streams over one connection: a stream muxer, Yamux
  //          (@libp2p/yamux). createLibp2p has an option that lists muxers.
  // TODO 3 — answer ping and identify. Both are libp2p *services* (@libp2p/ping,
  //          @libp2p/identify): the `services` option, one named entry each.
  // TODO 4 — say who you are in identify. The agent version is the option
  //          `nodeInfo.userAgent`; mesh/protocol.ts writes LLMesh's form of it for a
  //          role (yours: a terminal) and a runtime (node).
})

// TODO 5 — a protocol of your own, ECHO_PROTOCOL: every byte a peer sends on such a
//   stream goes back on the same stream, and when the peer closes its side, close
//   yours. Register a handler for it on the node; the handler gets the stream, an
//   async iterable of the chunks that arrive, which can also send() and close().
//   Where to look: `handle` in node_modules/@libp2p/interface/dist/src/index.d.ts,
//   `Stream` in stream.d.ts and message-stream.d.ts next to it.

// Every connection reports what it negotiated; watch this line change as you go.
node.addEventListener('connection:open', (event) => {
  const connection = event.detail
  console.log(`connection from ${connection.remotePeer} (${connection.encryption} + ${connection.multiplexer})`)
})

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}
