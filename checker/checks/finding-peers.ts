/**
 * Lesson 4's guarantees, for lesson 4's own steps and for the "lesson 4 still
 * holds" step of every later lesson: the checker's discovery peers (a bootstrap
 * peer that chats, announces and serves the LAN DHT, and three plain peers to
 * be found), and one judgement each:
 *
 *   expectDiscoveryDial  the bootstrap peer announces a peer on the discovery
 *                        topic; the node must dial it;
 *   expectFindPeer       `/find <peer id>` on stdin names a peer whose address
 *                        only the bootstrap peer's DHT knows; the node must look
 *                        it up and dial it (twice, for lesson 4 itself: the
 *                        second time only dialing what the lookup returned connects);
 *   expectServesDht      a peer connects to the node; the bootstrap peer looks it
 *                        up in the DHT, and only the node can answer.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { CHAT_TOPIC, LAN_DHT_PROTOCOL, PEER_DISCOVERY_TOPIC } from '../../mesh/protocol.ts'
import type { CheckRun, StepScope } from '../engine/check-run.ts'
import { freePorts } from '../../mesh/free-ports.ts'
import { shortPeerId } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { ChatListener } from './chat-listener.ts'
import type { BootstrapPeer, announcement } from './discovery-peers.ts'
import { quoted } from './near-miss.ts'
import { printedLate } from './start-node.ts'
import type { StartedNode } from './start-node.ts'

/** Say it again (announce, type `/find`, query) if the first try got lost in a race. */
const RETRY_MS = 600
/** Subscriptions travel in the first gossip message after connecting; this covers a slow one. */
const SUBSCRIPTION_GRACE_MS = 500

/** The checker's lesson 4 peers, started. */
export interface DiscoveryPeers {
  bootstrap: BootstrapPeer
  /** Announced on the discovery topic: the node must dial it. */
  announced: Libp2p
  /** Only the bootstrap peer's DHT knows its address: the node must find it. */
  hidden: Libp2p
  /** Connects to the node, so the bootstrap peer can look it up through the node. */
  visitor: Libp2p
  /** Watches the bootstrap peer's chat (lesson 3's step). */
  chat: ChatListener
  announcement: typeof announcement
}

export interface DiscoveryWorld {
  /** The one bootstrap address, for LLMESH_PEERS. */
  bootstrapAddress: string
  /** The peers, started while the learner's program boots. */
  peers: Promise<DiscoveryPeers>
  /**
   * Once the node printed its addresses: when the bootstrap peer was not yet
   * listening as the node dialed it (a very slow machine), it dials the node instead.
   */
  joinLate: (node: StartedNode) => Promise<void>
}

/**
 * Chooses the bootstrap peer's key and port now, so its address can go to the
 * learner's program at once; libp2p and kad-dht load while that program boots.
 * Everything started is stopped when the check ends.
 */
export async function prepareDiscoveryPeers (run: CheckRun): Promise<DiscoveryWorld> {
  const [[port = 0], key] = await Promise.all([freePorts(1), generateKeyPair('Ed25519')])
  const bootstrapAddress = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key)}`
  const peers = import('./discovery-peers.ts').then(async (discovery) => {
    const [bootstrap, announced, hidden, visitor] = await Promise.all([
      discovery.bootstrapPeer(key, port), discovery.plainPeer(), discovery.plainPeer(), discovery.plainPeer()
    ])
    const chat = new ChatListener(bootstrap.services.pubsub)
    bootstrap.services.pubsub.subscribe(CHAT_TOPIC)
    // Only the bootstrap peer knows where the hidden peer is: not a connection, an entry in its peer store.
    await bootstrap.peerStore.merge(hidden.peerId, { multiaddrs: hidden.getMultiaddrs() })
    return { bootstrap, announced, hidden, visitor, chat, announcement: discovery.announcement }
  })
  peers.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => {
    const started = await peers
    started.chat.close()
    await Promise.all([started.bootstrap, started.announced, started.hidden, started.visitor].map(async peer => { await peer.stop() }))
  })
  let readyAt = Infinity
  void peers.then(() => { readyAt = performance.now() }, () => {})
  return {
    bootstrapAddress,
    peers,
    joinLate: async (node) => {
      const { bootstrap } = await peers
      if (printedLate(node, readyAt) && bootstrap.getConnections(peerIdFromString(node.peerId)).length === 0) {
        const tcpAddress = node.addresses.find(a => a.kind === 'tcp')
        if (tcpAddress != null) void bootstrap.dial(tcpAddress.addr).catch(() => {})
      }
    }
  }
}

/** The bootstrap peer announces a peer on the discovery topic; the node must dial it. */
export async function expectDiscoveryDial (run: CheckRun, scope: StepScope, node: StartedNode, peers: DiscoveryPeers): Promise<string> {
  const { bootstrap, announced, chat } = peers
  const nodePeer = peerIdFromString(node.peerId)
  const topics = (): string[] => chat.subscriptions.get(node.peerId) ?? []
  scope.onTimeout(`your node was told about ${shortPeerId(announced.peerId.toString())} on "${PEER_DISCOVERY_TOPIC}" but never dialed it`, {
    expected: `a connection from ${shortPeerId(node.peerId)} to the announced peer`,
    seen: () => `no connection; ${lastOutput(run)}`
  })
  const subscribedAt = performance.now()
  while (!topics().includes(PEER_DISCOVERY_TOPIC)) {
    const other = topics().find(topic => topic !== CHAT_TOPIC && /discovery/i.test(topic))
    if (other != null) {
      fail(`your node listens for peer announcements on ${quoted(other)}: the universal-connectivity peers announce on "${PEER_DISCOVERY_TOPIC}" (PEER_DISCOVERY_TOPIC in mesh/protocol.ts); pass it in pubsubPeerDiscovery's topics.`, { expected: quoted(PEER_DISCOVERY_TOPIC), seen: quoted(other) })
    }
    if (performance.now() - subscribedAt > SUBSCRIPTION_GRACE_MS) {
      fail(`your node does not listen for peer announcements: it never subscribed to "${PEER_DISCOVERY_TOPIC}". Add pubsubPeerDiscovery() with that topic to peerDiscovery.`, {
        expected: `${shortPeerId(node.peerId)} subscribed to "${PEER_DISCOVERY_TOPIC}"`,
        seen: `subscribed to ${topics().map(quoted).join(', ') || 'nothing'}`
      })
    }
    await pause(10, scope.signal)
  }
  const record = peers.announcement(announced.peerId, announced.getMultiaddrs())
  await repeatUntil(async () => {
    await bootstrap.services.pubsub.publish(PEER_DISCOVERY_TOPIC, record).catch(() => {})
  }, () => dialedBy(announced, nodePeer), scope.signal)
  return `dialed ${shortPeerId(announced.peerId.toString())} after its announcement`
}

/**
 * `/find <peer id>` of a peer only the bootstrap peer's DHT knows; the node must
 * dial it. With `twice`, the peer then hangs up and the line is typed again: the
 * peer is no longer new to the node, so only dialing what the lookup returned connects.
 */
export async function expectFindPeer (run: CheckRun, scope: StepScope, node: StartedNode, peers: DiscoveryPeers, twice: boolean): Promise<string> {
  const { bootstrap, hidden } = peers
  const nodePeer = peerIdFromString(node.peerId)
  const target = hidden.peerId
  const asked = watchLookups(bootstrap, target)
  scope.onTimeout(`your node did not find and dial the peer typed on its stdin (/find ${shortPeerId(target.toString())})`, {
    expected: `a connection from ${shortPeerId(node.peerId)} to ${shortPeerId(target.toString())}`,
    seen: () => `${asked.count > 0 ? 'the DHT was asked and answered, but no connection came' : 'the checker\'s DHT was never asked about that peer'}; ${lastOutput(run)}`
  })
  const protocols = await identifiedProtocols(bootstrap, nodePeer, scope.signal)
  const kad = protocols.find(p => /\/kad\//.test(p) && p !== LAN_DHT_PROTOCOL)
  if (kad != null && !protocols.includes(LAN_DHT_PROTOCOL)) {
    fail(`your node's DHT speaks ${kad}, the public IPFS DHT: LLMesh peers run the LAN DHT, "${LAN_DHT_PROTOCOL}" (LAN_DHT_PROTOCOL in mesh/protocol.ts); set it as kadDHT's protocol.`, { expected: LAN_DHT_PROTOCOL, seen: kad })
  }
  await findAndDial(run, scope, hidden, nodePeer, asked, 'first')
  if (!twice) return `found ${shortPeerId(target.toString())} through the DHT and dialed it`
  // Now the node knows the peer: no 'peer:discovery' event fires for it again.
  await hidden.hangUp(nodePeer)
  await until(() => hidden.getConnections(nodePeer).length === 0, scope.signal)
  await findAndDial(run, scope, hidden, nodePeer, asked, 'again')
  return `found ${shortPeerId(target.toString())} through the DHT and dialed it, twice`
}

/** A peer connects to the node; the bootstrap peer asks the node's DHT where it is. */
export async function expectServesDht (scope: StepScope, node: StartedNode, peers: DiscoveryPeers): Promise<string> {
  const { bootstrap, visitor } = peers
  const nodePeer = peerIdFromString(node.peerId)
  scope.onTimeout(`the checker could not find ${shortPeerId(visitor.peerId.toString())}, a peer connected to your node, by asking your node's DHT`, {
    expected: `your node answers FIND_NODE with the address of ${shortPeerId(visitor.peerId.toString())}`
  })
  const protocols = await identifiedProtocols(bootstrap, nodePeer, scope.signal)
  if (!protocols.includes(LAN_DHT_PROTOCOL)) {
    fail(`your node does not answer DHT queries: its identify record lists no ${LAN_DHT_PROTOCOL}. A DHT in client mode only asks; set clientMode: false in kadDHT().`, {
      expected: `${LAN_DHT_PROTOCOL} among its protocols`,
      seen: protocols.filter(p => !/^\/(meshsub|floodsub)\//.test(p)).join(', ')
    })
  }
  const tcpAddress = node.addresses.find(a => a.kind === 'tcp')
  if (tcpAddress == null) fail('your node printed no TCP address.')
  await visitor.dial(tcpAddress.addr, { signal: scope.signal })
  let answered = ''
  while (answered === '') {
    answered = await askNode(bootstrap, nodePeer, visitor.peerId, scope.signal)
    if (answered === '') await pause(RETRY_MS / 6, scope.signal)
  }
  return `your node told the checker where ${shortPeerId(visitor.peerId.toString())} is: ${answered}`
}

/** Type `/find <peer id>` until the target sees the node dial in. */
async function findAndDial (run: CheckRun, scope: StepScope, target: Libp2p, nodePeer: PeerId, asked: Lookups, round: 'first' | 'again'): Promise<void> {
  const line = `/find ${target.peerId}`
  const before = asked.count
  const connected = (): boolean => dialedBy(target, nodePeer)
  const deadline = performance.now() + scope.timeoutMs / 2
  await repeatUntil(async () => {
    if (performance.now() > deadline) {
      if (round === 'again') {
        fail(`your node found ${shortPeerId(target.peerId.toString())} a second time but did not dial it: 'peer:discovery' fires only for a peer new to your node, so dial the peer that findPeer() returns.`, { expected: 'a second connection after the second /find', seen: lastOutput(run) })
      }
      if (asked.count > before) {
        fail(`the checker's DHT told your node where ${shortPeerId(target.peerId.toString())} is, but your node never dialed it: dial the peer that findPeer() returns.`, { expected: `a connection to ${shortPeerId(target.peerId.toString())}`, seen: lastOutput(run) })
      }
      fail(`your node never asked the DHT about the peer in "${line.slice(0, 18)}…" typed on its stdin: on /find, call node.peerRouting.findPeer() with that peer id (kadDHT() as the \`dht\` service).`, { expected: 'a FIND_NODE query at the checker\'s DHT', seen: lastOutput(run) })
    }
    run.program?.writeLine(line)
  }, connected, scope.signal)
}

/** Counts the times the bootstrap peer's DHT looked up `target` for someone. */
interface Lookups { count: number }

function watchLookups (bootstrap: BootstrapPeer, target: PeerId): Lookups {
  const lookups = { count: 0 }
  // A FIND_NODE for a peer id is answered from the peer store first: watching
  // that read is the one sign, outside kad-dht, that the question was asked.
  const peerStore = bootstrap.peerStore
  const get = peerStore.get.bind(peerStore)
  peerStore.get = async (peer, options) => {
    if (peer.equals(target)) lookups.count++
    return await get(peer, options)
  }
  return lookups
}

/**
 * The protocols the node serves, from a fresh identify: the peer store would
 * also list a protocol the node merely *used* (a client-mode DHT opening a
 * query stream), which says nothing about what it answers.
 */
export async function identifiedProtocols (bootstrap: BootstrapPeer, nodePeer: PeerId, signal: AbortSignal): Promise<string[]> {
  const connection = bootstrap.getConnections(nodePeer)[0]
  if (connection == null) return []
  return (await bootstrap.services.identify.identify(connection, { signal })).protocols
}

/** One FIND_NODE for `wanted`, sent to the node alone; the address it answers with, or ''. */
async function askNode (bootstrap: BootstrapPeer, nodePeer: PeerId, wanted: PeerId, signal: AbortSignal): Promise<string> {
  try {
    for await (const event of bootstrap.services.dht.findPeer(wanted, { signal, useCache: false })) {
      if (event.name === 'FINAL_PEER' && event.from.equals(nodePeer) && event.peer.multiaddrs.length > 0) {
        return event.peer.multiaddrs[0]?.toString() ?? ''
      }
    }
  } catch (err) {
    if (signal.aborted) throw err
  }
  return ''
}

/** The node opened a connection to `peer` (inbound, as `peer` sees it). */
function dialedBy (peer: Libp2p, nodePeer: PeerId): boolean {
  return peer.getConnections(nodePeer).some(connection => connection.direction === 'inbound')
}

export function lastOutput (run: CheckRun): string {
  const last = run.program?.lines.at(-1)?.text
  return last == null ? 'your program printed nothing' : `your program last printed ${quoted(last.length > 100 ? `${last.slice(0, 99)}…` : last)}`
}

async function pause (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('aborted')
  await new Promise(resolve => setTimeout(resolve, ms))
}

async function until (condition: () => boolean, signal: AbortSignal): Promise<void> {
  while (!condition()) await pause(10, signal)
}

/** Act now, then again every RETRY_MS, until `done` holds. */
async function repeatUntil (act: () => Promise<void> | void, done: () => boolean, signal: AbortSignal): Promise<void> {
  while (!done()) {
    if (signal.aborted) throw new Error('aborted')
    await act()
    const deadline = performance.now() + RETRY_MS
    while (!done() && performance.now() < deadline) await pause(10, signal)
  }
}
