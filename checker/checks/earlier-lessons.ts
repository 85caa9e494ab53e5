/**
 * "Still holds" steps: the learner grows one program, so every lesson's check
 * re-verifies, briefly, what each earlier lesson established, and a failure
 * names the lesson that taught it. Step ids are `lesson-N`.
 */
import type { GossipSub } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import type { CheckRun, StepScope } from '../engine/check-run.ts'
import type { Dialers } from '../engine/checker-peers.ts'
import { StepFailure } from '../engine/step-failure.ts'
import type { ChatListener } from './chat-listener.ts'
import { expectRelayedChat, expectRelayedPing, expectRelayServer, expectReservation } from './circuit-relay.ts'
import type { RelayPeers } from './circuit-relay.ts'
import { addressFor, dialFirstThatWorks, silentListener } from './dial.ts'
import { expectDiscoveryDial, expectFindPeer, expectServesDht } from './finding-peers.ts'
import type { DiscoveryPeers } from './finding-peers.ts'
import { expectKeyFileIdentity } from './identity.ts'
import { challengeNonce } from './nonce-challenge.ts'
import { connectSecurely, expectEcho, expectOnlyNoise, expectPing, expectTerminalIdentify } from './secure-channel.ts'
import type { StartedNode } from './start-node.ts'

/** Prefix a failure with the lesson that taught what broke. */
async function taughtBy<T> (lesson: number, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err
    throw new StepFailure(`lesson ${lesson} no longer holds: ${err.message}`, {
      ...(err.expected != null ? { expected: err.expected } : {}),
      ...(err.seen != null ? { seen: err.seen } : {})
    })
  }
}

/** Lesson 1: the identity from the key file, and both listeners answer as the printed peer. */
export async function lesson1Holds (run: CheckRun, node: StartedNode, dialers: Promise<Dialers>): Promise<void> {
  await run.step('lesson-1', async (scope) => {
    scope.onTimeout(`lesson 1 no longer holds: ${silentListener(run.env.tcpPort)}`)
    await taughtBy(1, async () => {
      expectKeyFileIdentity(run, node)
      const { bare, secure } = await dialers
      // From lesson 2 on, a node speaks Noise + Yamux: try that first, and the
      // TCP connection stays open for lesson 2's steps (see connectSecurely).
      const tcp = await dialFirstThatWorks([secure, bare], addressFor(node, 'tcp', run.env.tcpPort), scope.signal)
      if (tcp.dialer !== secure) await tcp.connection.close()
      const ws = await dialFirstThatWorks([tcp.dialer, secure, bare].filter((d, i, all) => all.indexOf(d) === i), addressFor(node, 'ws', run.env.wsPort), scope.signal)
      await ws.connection.close()
    })
    scope.detail('key file identity, TCP + WebSocket')
  })
}

/** Lesson 2: only Noise offered, Noise + Yamux, ping, identify as a terminal node, the echo protocol. */
export async function lesson2Holds (run: CheckRun, node: StartedNode, dialers: Promise<Dialers>): Promise<void> {
  await run.step('lesson-2', async (scope) => {
    await taughtBy(2, async () => {
      await expectOnlyNoise(run.env.tcpPort, scope.signal)
      const { secure } = await dialers
      const connection = await connectSecurely(secure, addressFor(node, 'tcp', run.env.tcpPort), scope.signal)
      await expectPing(secure, connection, scope, 1)
      await expectTerminalIdentify(secure, connection, scope.signal)
      await expectEcho(secure, connection, scope)
      await connection.close() // the lesson's own steps talk to the node over its own connection
    })
    scope.detail('Noise only, Yamux, ping, identify, echo')
  })
}

/**
 * Lesson 3: the node joined the chat of the peer in LLMESH_PEERS, subscribes to
 * the chat topic and answers a fresh `/nonce` with exactly `nonce <value> <its
 * peer id>`, signed. `chat` watches `checker`, the peer the node was told to join.
 */
export async function lesson3Holds (run: CheckRun, node: StartedNode, checker: Libp2p<{ pubsub: GossipSub }>, chat: ChatListener): Promise<void> {
  await run.step('lesson-3', async (scope) => {
    const peer = peerIdFromString(node.peerId)
    const pubsub = checker.services.pubsub
    let nonces: string[] = []
    scope.onTimeout('lesson 3 no longer holds: your node did not join the chat of the peer in LLMESH_PEERS and answer its /nonce', {
      seen: () => checker.getConnections(peer).length === 0
        ? 'your node never connected to the peer in LLMESH_PEERS'
        : !pubsub.getSubscribers(CHAT_TOPIC).some(p => p.equals(peer))
            ? `your node did not subscribe to "${CHAT_TOPIC}"`
            : `no answer to "/nonce ${nonces.at(-1) ?? ''}"`
    })
    await taughtBy(3, async () => {
      await until(() => pubsub.getSubscribers(CHAT_TOPIC).some(p => p.equals(peer)), scope.signal)
      const challenge = challengeNonce(pubsub, chat, node.peerId, scope.signal)
      nonces = challenge.nonces
      await challenge.answered
    })
    scope.detail('chat topic, /nonce answered')
  })
}

/**
 * Lesson 4: from the one bootstrap address, the node dials a peer announced on
 * the discovery topic, finds a peer through the DHT and dials it, and answers
 * DHT queries itself (finding-peers.ts; the lesson's own check asks for the
 * lookup twice, this step once).
 */
export async function lesson4Holds (run: CheckRun, node: StartedNode, peers: DiscoveryPeers): Promise<void> {
  await run.step('lesson-4', async (scope) => {
    const held = heldScope(scope, 4)
    await taughtBy(4, async () => {
      await expectDiscoveryDial(run, held, node, peers)
      await expectFindPeer(run, held, node, peers, false)
      await expectServesDht(held, node, peers)
    })
    scope.detail('discovery dial, DHT lookup, DHT server')
  })
}

/**
 * Lesson 5: the node holds a reservation on the relay in LLMESH_RELAY and
 * printed its `/p2p-circuit` address; a peer that can only use the relay pings
 * it and gets a signed `/nonce` answer over the limited connection; with
 * LLMESH_RELAY_SERVER=1 two checker peers reach each other through the node
 * (circuit-relay.ts). A later lesson passes `prepareRelayPeers(run).env` to
 * `startNode` and the started peers here.
 */
export async function lesson5Holds (run: CheckRun, node: StartedNode, peers: RelayPeers): Promise<void> {
  await run.step('lesson-5', async (scope) => {
    const held = heldScope(scope, 5)
    await taughtBy(5, async () => {
      const { circuit } = await expectReservation(run, held, node, peers)
      const { connection } = await expectRelayedPing(held, node, peers, circuit)
      await expectRelayedChat(held, node, peers, connection)
      await expectRelayServer(held, node, peers, run.env.tcpPort)
    })
    scope.detail('relay reservation, ping and /nonce over the relay, relay server')
  })
}

/** The step's scope, with its time-limit sentence naming the lesson that taught what broke. */
function heldScope (scope: StepScope, lesson: number): StepScope {
  return {
    ...scope,
    onTimeout: (message, details) => { scope.onTimeout(`lesson ${lesson} no longer holds: ${message}`, details) }
  }
}

async function pause (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('aborted')
  await new Promise(resolve => setTimeout(resolve, ms))
}

async function until (condition: () => boolean, signal: AbortSignal): Promise<void> {
  while (!condition()) await pause(10, signal)
}
