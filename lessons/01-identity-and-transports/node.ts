/**
 * Lesson 1 — Identity and transports
 *
 * Your first libp2p node. Read the lesson with `npm run lesson 1`, work through
 * the TODOs from top to bottom, then run `npm run check`.
 */
import '../../mesh/compat.ts' // Node 20 polyfills for libp2p: keep this line first.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { plaintext } from '@libp2p/plaintext'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'

// The checker tells the node where to listen and which key to use; 0 means "any free port".
const keyFile = process.env.LLMESH_KEY_FILE ?? '.llmesh/node.key'
const tcpPort = process.env.LLMESH_TCP_PORT ?? '0'
const wsPort = process.env.LLMESH_WS_PORT ?? '0'

/** Your peer id is derived from this key: same key file, same peer id, same addresses. */
async function loadOrCreateKey (file: string): Promise<PrivateKey> {
  // TODO 1 — a persistent identity.
  // Right now every start makes a brand-new key, so your peer id changes each time.
  //  - When `file` exists, use the key in it. It holds the key in protobuf form:
  //    @libp2p/crypto/keys has the decoder (its name mirrors privateKeyToProtobuf).
  //    Reading a missing file throws an error whose `code` is 'ENOENT'; that case,
  //    and only that one, falls through to making a new key.
  //  - When it does not, generate a key as below and save it in `file` for next
  //    time. Its folder may not exist yet, and a private key is a secret: only you
  //    may read the file (file mode 0600).
  return await generateKeyPair('Ed25519')
}

const node = await createLibp2p({
  privateKey: await loadOrCreateKey(keyFile),
  addresses: {
    listen: [
      // TODO 2 — listen on 127.0.0.1, on the TCP port the checker asks for (`tcpPort`,
      //          from LLMESH_TCP_PORT). A listen address is a multiaddr: /ip4/<ip>/tcp/<port>.
      '/ip4/127.0.0.1/tcp/0'
      // TODO 3 — and on WebSockets too, on `wsPort`: a WebSocket multiaddr is a TCP one
      //          ending in /ws.
    ]
  },
  // TODO 3 — a /ws address needs its transport: @libp2p/websockets (imported above).
  transports: [tcp()],
  // Plaintext swaps public keys, so each side learns who the other is, but it
  // encrypts nothing. Lesson 2 replaces it with Noise.
  connectionEncrypters: [plaintext()]
})

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}
