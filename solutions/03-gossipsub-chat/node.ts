/**
 * Lesson 3 — GossipSub chat (reference solution).
 *
 * The lesson 2 node joins the `universal-connectivity` chat: it prints what the
 * mesh says, publishes what you type, and answers the checker's `/nonce` probe.
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
    ping: ping(),
    pubsub: gossipsub({
      // Every message carries its author's peer id and signature; peers drop anything else.
      globalSignaturePolicy: StrictSign,
      // Message ids as the universal-connectivity peers compute them, so we agree on duplicates.
      msgIdFn: chatMessageId
    })
  }
})

await node.handle(ECHO_PROTOCOL, async (stream) => {
  for await (const chunk of stream) stream.send(chunk)
  await stream.close()
})

const pubsub = node.services.pubsub
const encoder = new TextEncoder()
const decoder = new TextDecoder()

async function say (text: string): Promise<void> {
  try {
    await pubsub.publish(CHAT_TOPIC, encoder.encode(text))
  } catch (err) {
    // Usually "no peers subscribed yet": nobody is there to hear it.
    console.log(`(not sent: ${(err as Error).message})`)
  }
}

pubsub.subscribe(CHAT_TOPIC)

pubsub.addEventListener('message', (event) => {
  const message = event.detail
  if (message.topic !== CHAT_TOPIC || message.type !== 'signed') return
  const text = decoder.decode(message.data)
  console.log(`${message.from}: ${text}`)

  // The checker's challenge: only a node that really received the message can answer it.
  const nonce = /^\/nonce (\S+)$/.exec(text)?.[1]
  if (nonce != null) void say(`nonce ${nonce} ${node.peerId}`)
})

// Every line you type becomes a chat message; closing stdin (Ctrl-D) stops the node.
createInterface({ input: process.stdin })
  .on('line', (line) => { if (line.trim() !== '') void say(line) })
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
