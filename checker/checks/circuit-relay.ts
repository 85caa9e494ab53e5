/**
 * Lesson 5's guarantees, for lesson 5's own steps and for the "lesson 5 still
 * holds" step of every later lesson: the checker's relay (the one address in
 * LLMESH_RELAY) and peers that can reach the learner's node only through a
 * relay, and one judgement each:
 *
 *   expectReservation   the node holds a reservation on the checker's relay,
 *                       printed its `/p2p-circuit` address (it appears after the
 *                       start, once the relay said yes) and advertises it;
 *   expectRelayedPing   a peer that can dial nothing but circuits dials that
 *                       address: the connection is relayed and limited, and a
 *                       ping crosses it;
 *   expectRelayedChat   over that limited connection the node exchanges signed
 *                       gossip: it answers a fresh `/nonce`;
 *   expectRelayServer   with LLMESH_RELAY_SERVER=1 the node is a relay: one
 *                       checker peer reserves a slot on it, another reaches the
 *                       first through it and pings it.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { Connection, IdentifyResult, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import type { CheckRun, StepScope } from '../engine/check-run.ts'
import { freePorts } from '../../mesh/free-ports.ts'
import { scaled } from '../engine/time-limits.ts'
import { addressesInLine, shortAddress, shortPeerId } from '../engine/printed-addresses.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { ChatListener } from './chat-listener.ts'
import { addressFor } from './dial.ts'
import { lastOutput } from './finding-peers.ts'
import { challengeNonce } from './nonce-challenge.ts'
import type { RelayedChatPeer, RelayPeer } from './relay-peers.ts'
import type { StartedNode } from './start-node.ts'
import { printedLate } from './start-node.ts'

/** The relay protocols: HOP (reserve, connect through a relay) and STOP (be connected to through one). */
export const RELAY_HOP = '/libp2p/circuit/relay/0.2.0/hop'
export const RELAY_STOP = '/libp2p/circuit/relay/0.2.0/stop'
/** The variables lesson 5 adds to the learner's environment. */
export const RELAY_VARIABLE = 'LLMESH_RELAY'
export const RELAY_SERVER_VARIABLE = 'LLMESH_RELAY_SERVER'

/** How long the checker's relay holds a reservation (js-libp2p's default); the relay records only the expiry. */
const RESERVATION_TTL_MS = 2 * 60 * 60_000
/** Identify is asked again this often, this many times, when the node is busy answering another. */
const IDENTIFY_RETRY_MS = 50
const IDENTIFY_ATTEMPTS = 5
/** Graces below are stretched by LLMESH_TIME_SCALE, like the steps' limits. A node that reached the relay reserves at once; this covers a slow identify. */
const RESERVE_GRACE_MS = 1_500
/** The node dials the relay right after start: by the time this step runs it has. */
const CONNECT_GRACE_MS = 1_000
/** libp2p emits 'self:peer:update' up to a second after the addresses changed. */
const PRINT_GRACE_MS = 2_500
/** The node's subscriptions cross a new connection in its first gossip message. */
const SUBSCRIPTION_GRACE_MS = 1_500

/** The checker's lesson 5 peers, started. */
export interface RelayPeers {
  relay: RelayPeer
  relayAddress: Multiaddr
  /** Reaches the node only through the relay, and chats. */
  relayed: RelayedChatPeer
  relayedChat: ChatListener
  /** Lesson 5 (b)'s peers are made once the node's address is known. */
  peers: typeof import('./relay-peers.ts')
}

export interface RelayWorld {
  /** For the learner's environment: the relay's address, and the relay server switched on. */
  env: Record<string, string>
  peers: Promise<RelayPeers>
  /** When the relay was not yet listening as the node dialed it (a very slow machine), it dials the node instead. */
  joinLate: (node: StartedNode) => Promise<void>
}

/**
 * Chooses the relay's key and port now, so its address goes to the learner's
 * program at once; the peers start while that program boots and stop when the
 * check ends.
 */
export async function prepareRelayPeers (run: CheckRun): Promise<RelayWorld> {
  const [[port = 0], key] = await Promise.all([freePorts(1), generateKeyPair('Ed25519')])
  const relayAddress = multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key)}`)
  const peers = import('./relay-peers.ts').then(async (relayPeers) => {
    const [relay, relayed] = await Promise.all([relayPeers.relayPeer(key, port, RESERVATION_TTL_MS), relayPeers.relayedChatPeer(relayAddress)])
    const relayedChat = new ChatListener(relayed.services.pubsub)
    relayed.services.pubsub.subscribe(CHAT_TOPIC)
    // The circuit to the node will run over this connection: open it while the program boots.
    void relayed.dial(relayAddress).catch(() => {})
    return { relay, relayAddress, relayed, relayedChat, peers: relayPeers }
  })
  peers.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => {
    const started = await peers
    started.relayedChat.close()
    await Promise.all([started.relay.stop(), started.relayed.stop()])
  })
  let readyAt = Infinity
  void peers.then(() => { readyAt = performance.now() }, () => {})
  return {
    env: { [RELAY_VARIABLE]: relayAddress.toString(), [RELAY_SERVER_VARIABLE]: '1' },
    peers,
    joinLate: async (node) => {
      const { relay } = await peers
      if (printedLate(node, readyAt) && relay.getConnections(peerIdFromString(node.peerId)).length === 0) {
        const tcpAddress = node.addresses.find(a => a.kind === 'tcp')
        if (tcpAddress != null) void relay.dial(tcpAddress.addr).catch(() => {})
      }
    }
  }
}

/** The node's `/p2p-circuit` address through the checker's relay, as printed and advertised. */
export async function expectReservation (run: CheckRun, scope: StepScope, node: StartedNode, peers: RelayPeers): Promise<{ circuit: PrintedAddress, detail: string }> {
  const { relay, relayAddress } = peers
  const nodePeer = peerIdFromString(node.peerId)
  const relayId = relay.peerId.toString()
  const started = performance.now()
  const reserved = (): boolean => relay.services.relay.reservations.has(nodePeer)
  const printed = (): PrintedAddress | undefined => printedAddresses(node).find(a => isCircuitThrough(a, relayId, node.peerId))
  scope.onTimeout('your node did not hold a reservation on the relay in LLMESH_RELAY and print its /p2p-circuit address', {
    expected: `${shortAddress(relayAddress.toString())}/p2p-circuit/p2p/${shortPeerId(node.peerId)} printed`,
    seen: () => `${reserved() ? 'a reservation, no /p2p-circuit address printed' : relay.getConnections(nodePeer).length > 0 ? 'a connection to the relay, no reservation' : 'no connection to the relay'}; ${lastOutput(run)}`
  })
  let protocols: string[] | undefined
  for (;;) {
    const circuit = printed()
    if (reserved() && circuit != null) {
      const listenAddrs = await advertised(relay, nodePeer, scope.signal)
      // Identify lists addresses without the node's own /p2p/ part.
      const announced = circuit.addr.decapsulateCode(0x01a5) // 0x01a5 = p2p
      if (listenAddrs != null && !listenAddrs.some(addr => addr.equals(announced) || addr.equals(circuit.addr))) {
        fail(`your node printed ${shortAddress(circuit.text)} but does not advertise it: its identify record lists ${listenAddrs.map(a => shortAddress(a.toString())).join(', ') || 'no addresses'}. Leave \`addresses.announce\` out, so libp2p announces the relayed address it was given.`, {
          expected: shortAddress(circuit.text),
          seen: listenAddrs.map(a => shortAddress(a.toString())).join('  ')
        })
      }
      return { circuit, detail: `reserved on ${shortPeerId(relayId)}, printed ${shortAddress(circuit.text.replace(/\/p2p-circuit\/p2p\/\w+$/, '/p2p-circuit/…'))}` }
    }
    const connection = relay.getConnections(nodePeer)[0]
    if (connection == null) {
      if (performance.now() - started > scaled(CONNECT_GRACE_MS)) {
        fail(`your node never connected to the relay in LLMESH_RELAY (${shortAddress(relayAddress.toString())}): dial that address at start, as you dial the peers in LLMESH_PEERS.`, {
          expected: `a connection from ${shortPeerId(node.peerId)} to ${shortPeerId(relayId)}`,
          seen: lastOutput(run)
        })
      }
    } else if (!reserved()) {
      protocols ??= await identified(relay, connection, scope.signal)
      if (protocols != null && !protocols.includes(RELAY_STOP)) {
        fail(`your node reached the relay but cannot take relayed connections: its identify record lists no ${RELAY_STOP}. Add circuitRelayTransport() (from @libp2p/circuit-relay-v2) to transports.`, {
          expected: `${RELAY_STOP} among its protocols`,
          seen: protocols.filter(p => !/^\/(meshsub|floodsub)\//.test(p)).join(', ')
        })
      }
      if (performance.now() - Math.max(started - scaled(CONNECT_GRACE_MS), connection.timeline.open - performance.timeOrigin) > scaled(RESERVE_GRACE_MS)) {
        fail('your node reached the relay but never asked it for a reservation: listen on \'/p2p-circuit\' too (in addresses.listen), and the relay transport reserves a slot on the relays it meets.', {
          expected: `a reservation for ${shortPeerId(node.peerId)} on ${shortPeerId(relayId)}`,
          seen: 'a connection, no reservation'
        })
      }
    } else if (performance.now() - Math.max(started - scaled(CONNECT_GRACE_MS), reservedAt(relay, nodePeer)) > scaled(PRINT_GRACE_MS)) {
      const other = printedAddresses(node).find(a => a.text.includes('/p2p-circuit'))
      fail(other != null
        ? `your node printed ${shortAddress(other.text)}, not its address through the relay in LLMESH_RELAY: print the addresses node.getMultiaddrs() returns.`
        : 'the relay holds a reservation for your node, but your node never printed its /p2p-circuit address: it appears after the start, so print node.getMultiaddrs() again when they change (the \'self:peer:update\' event).', {
        expected: `${shortAddress(relayAddress.toString())}/p2p-circuit/p2p/${shortPeerId(node.peerId)}`,
        seen: other != null ? shortAddress(other.text) : lastOutput(run)
      })
    }
    await pause(10, scope.signal)
  }
}

/** The relayed-only peer dials the printed circuit address; the connection must be limited, and a ping must cross it. */
export async function expectRelayedPing (scope: StepScope, node: StartedNode, peers: RelayPeers, circuit: PrintedAddress): Promise<{ connection: Connection, detail: string }> {
  const { relayed } = peers
  const nodePeer = peerIdFromString(node.peerId)
  scope.onTimeout(`a peer that can reach your node only through the relay dialed ${shortAddress(circuit.text)} and pinged, but did not get through`)
  let connection: Connection
  try {
    connection = await relayed.dial(circuit.addr, { signal: scope.signal })
  } catch (err) {
    if (scope.signal.aborted) throw err
    fail(`a peer that can reach your node only through the relay could not dial ${shortAddress(circuit.text)}: ${(err as Error).message}`, { seen: `${(err as Error).name}: ${(err as Error).message}` })
  }
  if (!connection.remotePeer.equals(nodePeer)) fail(`the peer at ${shortAddress(circuit.text)} is ${shortPeerId(connection.remotePeer.toString())}, not your node.`)
  if (connection.limits == null || !connection.remoteAddr.toString().includes('/p2p-circuit')) {
    fail(`the connection to ${shortAddress(circuit.text)} is not relayed: the checker expected the limits a relay sets.`, { seen: connection.remoteAddr.toString() })
  }
  let rtt: number
  try {
    rtt = await relayed.services.ping.ping(nodePeer, { signal: scope.signal })
  } catch (err) {
    if (scope.signal.aborted) throw err
    fail(`your node did not answer ping over the relayed connection: ${(err as Error).message}. Ping runs on limited connections unless ping() is told otherwise (runOnLimitedConnection).`, { seen: `${(err as Error).name}: ${(err as Error).message}` })
  }
  return { connection, detail: `relayed, ${limitsText(connection)}, ping ${Math.round(rtt)} ms` }
}

/** Over the limited connection the node subscribes to the chat and answers a fresh /nonce, signed. */
export async function expectRelayedChat (scope: StepScope, node: StartedNode, peers: RelayPeers, connection: Connection): Promise<string> {
  const { relayed, relayedChat } = peers
  const nodePeer = peerIdFromString(node.peerId)
  const pubsub = relayed.services.pubsub
  let nonces: string[] = []
  scope.onTimeout('your node did not answer a /nonce sent over the relayed connection', {
    seen: () => pubsub.getSubscribers(CHAT_TOPIC).some(p => p.equals(nodePeer)) ? `no answer to "/nonce ${nonces.at(-1) ?? ''}"` : `your node never told the relayed peer it subscribes to "${CHAT_TOPIC}"`
  })
  const started = performance.now()
  while (!pubsub.getSubscribers(CHAT_TOPIC).some(p => p.equals(nodePeer))) {
    if (performance.now() - started > scaled(SUBSCRIPTION_GRACE_MS)) {
      const protocols = await identified(relayed, connection, scope.signal) ?? []
      const meshsub = protocols.filter(p => p.startsWith('/meshsub/')).sort().at(-1)
      fail(meshsub != null
        ? `your node speaks ${meshsub}, but not over the relayed connection: gossipsub refuses limited connections unless told otherwise. Set runOnLimitedConnection: true in gossipsub's options.`
        : `your node offers no gossipsub over the relayed connection (its protocols: ${protocols.join(', ')}).`, {
        expected: `${shortPeerId(node.peerId)} subscribed to "${CHAT_TOPIC}" over the relay`,
        seen: 'no gossipsub stream over the limited connection'
      })
    }
    await pause(10, scope.signal)
  }
  const challenge = challengeNonce(pubsub, relayedChat, node.peerId, scope.signal)
  nonces = challenge.nonces
  await challenge.answered
  return 'answered /nonce over the relay, signed'
}

/** With LLMESH_RELAY_SERVER=1: one checker peer reserves on the node, another reaches it through the node and pings. */
export async function expectRelayServer (scope: StepScope, node: StartedNode, peers: RelayPeers, tcpPort: number): Promise<string> {
  const nodePeer = peerIdFromString(node.peerId)
  const nodeAddress = addressFor(node, 'tcp', tcpPort).addr
  scope.onTimeout(`two checker peers did not reach each other through your node (${RELAY_SERVER_VARIABLE}=1)`)
  const relayConnection = peers.relay.getConnections(nodePeer)[0]
  if (relayConnection != null) {
    const protocols = await identified(peers.relay, relayConnection, scope.signal)
    if (protocols != null && !protocols.includes(RELAY_HOP)) {
      fail(`your node serves no relay: ${RELAY_SERVER_VARIABLE}=1 was set, but its identify record lists no ${RELAY_HOP}. When that variable is 1, add circuitRelayServer() to its services.`, {
        expected: `${RELAY_HOP} among its protocols`,
        seen: protocols.filter(p => !/^\/(meshsub|floodsub)\//.test(p)).join(', ')
      })
    }
  }
  const [reserving, dialing] = await Promise.all([peers.peers.reservingPeer(nodeAddress), peers.peers.relayedPingPeer(nodeAddress)])
  try {
    try {
      await reserving.start()
    } catch (err) {
      if (scope.signal.aborted) throw err
      const why = /UnsupportedProtocol|protocol selection failed/i.test(String((err as Error).message)) ? 'it does not speak the relay protocol' : (err as Error).message.split('\n').map(line => line.trim()).filter(line => line !== '').at(-1) ?? String(err)
      fail(`a checker peer could not reserve a slot on your node: ${why}. With ${RELAY_SERVER_VARIABLE}=1, add circuitRelayServer() to its services.`, { seen: (err as Error).message.split('\n')[0] ?? '' })
    }
    const through = multiaddr(`${nodeAddress.toString()}/p2p-circuit/p2p/${reserving.peerId}`)
    let connection: Connection
    try {
      connection = await dialing.dial(through, { signal: scope.signal })
    } catch (err) {
      if (scope.signal.aborted) throw err
      fail(`a checker peer reserved a slot on your node, but another could not reach it there (${shortAddress(through.toString())}): ${(err as Error).message}`, { seen: `${(err as Error).name}: ${(err as Error).message}` })
    }
    if (connection.limits == null) fail('the connection through your node carries no limits: a relay tells both ends how much it will carry.')
    await dialing.services.ping.ping(reserving.peerId, { signal: scope.signal })
    const arrived = reserving.getConnections(dialing.peerId).find(c => c.direction === 'inbound' && c.remoteAddr.toString().includes(`/p2p/${node.peerId}/p2p-circuit`))
    if (arrived == null) fail('the ping arrived, but not through your node.')
    return `${shortPeerId(dialing.peerId.toString())} reached ${shortPeerId(reserving.peerId.toString())} through your node and pinged it`
  } finally {
    await Promise.all([reserving.stop(), dialing.stop()]).catch(() => {})
  }
}

/** Every address the program printed so far, at the start or later (a relayed one appears once the relay said yes). */
function printedAddresses (node: StartedNode): PrintedAddress[] {
  return node.program.lines.filter(line => line.stream === 'stdout').flatMap(line => addressesInLine(line.text)).filter(a => a.peerId === node.peerId)
}

/** When the relay granted the node its reservation, in performance.now() time: the relay stamps only its expiry. */
function reservedAt (relay: RelayPeer, nodePeer: PeerId): number {
  const expiry = relay.services.relay.reservations.get(nodePeer)?.expiry.getTime() ?? Date.now()
  return expiry - RESERVATION_TTL_MS - performance.timeOrigin
}

function isCircuitThrough (address: PrintedAddress, relayId: string, nodeId: string): boolean {
  const names = address.addr.getComponents().map(c => c.value == null ? c.name : `${c.name}=${c.value}`)
  const circuit = names.indexOf('p2p-circuit')
  return circuit > 0 && names[circuit - 1] === `p2p=${relayId}` && names.at(-1) === `p2p=${nodeId}`
}

/**
 * A fresh identify record of the node (the peer store may be stale). The node
 * answers one identify stream per connection at a time, and the peer's own
 * identify right after connecting may still be running: then ask again.
 */
async function identifyNode (peer: RelayPeer | RelayedChatPeer, connection: Connection, signal: AbortSignal): Promise<IdentifyResult | undefined> {
  for (let attempt = 0; attempt < IDENTIFY_ATTEMPTS; attempt++) {
    try {
      return await peer.services.identify.identify(connection, { signal })
    } catch (err) {
      if (signal.aborted) throw err
      await pause(IDENTIFY_RETRY_MS, signal)
    }
  }
  return undefined
}

/** The protocols the node offers, or undefined when it would not say. */
async function identified (peer: RelayPeer | RelayedChatPeer, connection: Connection, signal: AbortSignal): Promise<string[] | undefined> {
  return (await identifyNode(peer, connection, signal))?.protocols
}

/** The addresses the node announces, from a fresh identify over the relay's connection to it. */
async function advertised (relay: RelayPeer, nodePeer: PeerId, signal: AbortSignal): Promise<Multiaddr[] | undefined> {
  const connection = relay.getConnections(nodePeer)[0]
  if (connection == null) return undefined
  return (await identifyNode(relay, connection, signal))?.listenAddrs
}

/** "128 KiB left": js-libp2p relays send the time limit in milliseconds where the spec says seconds, so only bytes are shown. */
function limitsText (connection: Connection): string {
  const bytes = connection.limits?.bytes
  return bytes == null ? 'limited' : `${Math.round(Number(bytes) / 1024)} KiB left`
}

async function pause (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('aborted')
  await new Promise(resolve => setTimeout(resolve, ms))
}
