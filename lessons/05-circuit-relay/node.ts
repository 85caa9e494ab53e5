/**
 * Lesson 5 — Circuit relay v2
 *
 * This is your node from lesson 4. Read the lesson with `npm run lesson 5`,
 * work through the TODOs, then run `npm run check`.
 */
import '../../mesh/compat.ts' // Node 20 polyfills for libp2p: keep this line first.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { gossipsub, StrictSign } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { kadDHT, removePublicAddressesMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { chatMessageId } from '../../mesh/gossip.ts'
import { CHAT_TOPIC, LAN_DHT_PROTOCOL, PEER_DISCOVERY_TOPIC, llmeshAgentVersion } from '../../mesh/protocol.ts'

/** Our own protocol from lesson 2: whatever arrives on a stream goes back on the same stream. */
const ECHO_PROTOCOL = '/llmesh/echo/1.0.0'

// The checker tells the node where to listen and which key to use; 0 means "any free port".
const keyFile = process.env.LLMESH_KEY_FILE ?? '.llmesh/node.key'
const tcpPort = process.env.LLMESH_TCP_PORT ?? '0'
const wsPort = process.env.LLMESH_WS_PORT ?? '0'
// The bootstrap list: peers to join at start, e.g. a friend's node or Alien X (space- or comma-separated multiaddrs).
const peers = (process.env.LLMESH_PEERS ?? '').split(/[\s,]+/).filter(text => text !== '')
// A relay to reserve a slot on, so that peers who cannot dial us can reach us through it.
const relay = process.env.LLMESH_RELAY ?? ''
// Relaying costs bandwidth: a node serves as a relay only when asked to.
const relayServer = process.env.LLMESH_RELAY_SERVER === '1'

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
  // TODO 1 — make your node reachable through relays: add the circuit relay
  //   transport (circuitRelayTransport, imported above) to `transports`, and
  //   listen on the bare '/p2p-circuit' address too: it tells that transport to
  //   reserve a slot on the relays your node meets.
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
  // Peers announce themselves on the discovery topic; libp2p hands each one to 'peer:discovery'.
  peerDiscovery: [pubsubPeerDiscovery({ topics: [PEER_DISCOVERY_TOPIC] })],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      // Every message carries its author's peer id and signature; peers drop anything else.
      globalSignaturePolicy: StrictSign,
      // Message ids as the universal-connectivity peers compute them, so we agree on duplicates.
      msgIdFn: chatMessageId
      // TODO 4 — relayed connections are *limited* (the relay caps their bytes and
      //   time), and libp2p runs a protocol over one only if it says it may. Chat
      //   is small: let gossipsub run on limited connections (see its options).
    }),
    dht: kadDHT({
      // LLMesh's LAN DHT, the one Alien X serves: peers that reach each other on private addresses.
      protocol: LAN_DHT_PROTOCOL,
      peerInfoMapper: removePublicAddressesMapper,
      // A server answers other peers' queries; a client (the default without a public address) only asks.
      clientMode: false
    })
    // TODO 5 — when `relayServer` is true, be a relay for others: add the relay
    //   service (circuitRelayServer, imported above) under a name of your choice.
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

// Discovery only tells us about a peer: connecting to it is our decision.
node.addEventListener('peer:discovery', (event) => {
  const peer = event.detail.id
  if (node.getConnections(peer).length > 0) return
  node.dial(peer).then(
    () => { console.log(`discovered and joined ${peer}`) },
    (err: Error) => { console.log(`discovered ${peer}, could not reach it: ${err.message}`) }
  )
})

/** Ask the DHT where a peer is, then connect to it. */
async function find (text: string): Promise<void> {
  try {
    const peer = await node.peerRouting.findPeer(peerIdFromString(text))
    console.log(`found ${peer.id} at ${peer.multiaddrs.join(' ')}`)
    await node.dial(peer.id)
    console.log(`connected to ${peer.id}`)
  } catch (err) {
    console.log(`(could not find ${text}: ${(err as Error).message})`)
  }
}

// Every line you type becomes a chat message, except `/find <peer id>`; closing stdin (Ctrl-D) stops the node.
createInterface({ input: process.stdin })
  .on('line', (line) => {
    const wanted = /^\/find (\S+)$/.exec(line.trim())?.[1]
    if (wanted != null) void find(wanted)
    else if (line.trim() !== '') void say(line)
  })
  .on('close', () => { void node.stop() })

/** Print each address once. */
const printed = new Set<string>()
function printAddresses (): void {
  for (const addr of node.getMultiaddrs()) {
    if (printed.has(addr.toString())) continue
    printed.add(addr.toString())
    console.log(addr.toString())
  }
}

console.log(`peer id ${node.peerId}`)
printAddresses()
// TODO 2 — a relayed address exists only once the relay granted the reservation,
//   after the lines above ran: print the new addresses whenever your node's own
//   peer record changes (the node emits 'self:peer:update').

// TODO 3 — when `relay` is set, dial it at start, like the peers below, and print
//   whether that worked. Once connected, the relay transport asks it for a slot.

for (const peer of peers) {
  node.dial(multiaddr(peer)).then(
    () => { console.log(`joined ${peer}`) },
    (err: Error) => { console.log(`could not reach ${peer}: ${err.message}`) }
  )
}
