/**
 * Lesson 3 — GossipSub chat
 *
 * This is your node from lesson 2, plus a few given lines that join peers named
 * in LLMESH_PEERS. Read the lesson with `npm run lesson 3`, work through the
 * TODOs, then run `npm run check`.
 */
import '../../mesh/compat.ts' // Node 20 polyfills for libp2p: keep this line first.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { chatMessageId } from '../../mesh/gossip.ts'
import { CHAT_TOPIC, llmeshAgentVersion } from '../../mesh/protocol.ts'

/** Our own protocol from lesson 2: whatever arrives on a stream goes back on the same stream. */
const ECHO_PROTOCOL = '/llmesh/echo/1.0.0'

// The checker tells the node where to listen and which key to use; 0 means "any free port".
const keyFile = process.env.LLMESH_KEY_FILE ?? '.llmesh/node.key'
const tcpPort = process.env.LLMESH_TCP_PORT ?? '0'
const wsPort = process.env.LLMESH_WS_PORT ?? '0'
// Peers to join at start, e.g. a friend's node or Alien X (space- or comma-separated multiaddrs).
const peers = (process.env.LLMESH_PEERS ?? '').split(/[\s,]+/).filter(text => text !== '')

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
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  nodeInfo: { userAgent: llmeshAgentVersion('terminal', 'node') },
  services: {
    identify: identify(),
    ping: ping()
    // TODO 1 — add the GossipSub service (@libp2p/gossipsub) under the name `pubsub`,
    //   with two options: every message signed by its author (globalSignaturePolicy:
    //   StrictSign, imported above), and message ids computed the way the
    //   universal-connectivity peers compute them (msgIdFn: chatMessageId, imported
    //   from mesh/gossip.ts).
  }
})

await node.handle(ECHO_PROTOCOL, async (stream) => {
  for await (const chunk of stream) stream.send(chunk)
  await stream.close()
})

const encoder = new TextEncoder()
const decoder = new TextDecoder()

// TODO 2 — subscribe to the chat topic, CHAT_TOPIC, with the pubsub service.

// TODO 3 — print every chat message. The pubsub service emits a 'message' event
//   per message; keep only signed ones (`type`) on CHAT_TOPIC (`topic`), decode
//   their `data` with `decoder`, and print the text with its sender (`from`).

// TODO 4 — answer the checker's challenge: when a message's text is exactly
//   `/nonce <value>`, publish exactly `nonce <value> <your peer id>` on the chat topic.

// TODO 5 — every line typed on stdin becomes a chat message, published on
//   CHAT_TOPIC as bytes from `encoder`. Publishing fails while nobody is
//   subscribed, and the checker types a line then too: catch the error and print
//   it; it must not end your program.
// Closing stdin (Ctrl-D) stops the node.
createInterface({ input: process.stdin })
  .on('line', (line) => { console.log(`(not sent yet, see TODO 5: ${line})`) })
  .on('close', () => { void node.stop() })

console.log(`peer id ${node.peerId}`)
for (const addr of node.getMultiaddrs()) {
  console.log(addr.toString())
}

for (const peer of peers) {
  node.dial(multiaddr(peer)).then(
    () => { console.log(`joined ${peer}`) },
    (err: Error) => { console.log(`could not reach ${peer}: ${err.message}`) }
  )
}
