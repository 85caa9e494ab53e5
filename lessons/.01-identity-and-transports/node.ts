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
  //  - If `file` exists, read it and decode the key: privateKeyFromProtobuf(await readFile(file)).
  //  - If it does not (the error's code is 'ENOENT'), generate a key as below, then save it
  //    for next time: mkdir(dirname(file), { recursive: true }) and
  //    writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 }).
  return await generateKeyPair('Ed25519')
}

const node = await createLibp2p({
  privateKey: await loadOrCreateKey(keyFile),
  addresses: {
    listen: [
      // TODO 2 — listen on the TCP port the checker asks for: `/ip4/127.0.0.1/tcp/${tcpPort}`.
      '/ip4/127.0.0.1/tcp/0'
      // TODO 3 — and on WebSockets too: `/ip4/127.0.0.1/tcp/${wsPort}/ws`.
    ]
  },
  // TODO 3 — a /ws address needs its transport: add webSockets() to this list.
  transports: [tcp()],
  // Plaintext swaps public keys, so each side learns who the other is, but it
  // encrypts nothing. Lesson 2 replaces it with Noise.
  connectionEncrypters: [plaintext()]
})

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}
