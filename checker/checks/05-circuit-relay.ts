/**
 * Lesson 5: lessons 1–4 still hold; then, given a relay (the checker's, in
 * LLMESH_RELAY) and LLMESH_RELAY_SERVER=1, in the order of the lesson's TODOs:
 *
 *   reserve         the node holds a reservation on the relay and printed its
 *                   `/p2p-circuit` address, which appears after the start;
 *   relayed-ping    a peer that can dial nothing but circuits dials that
 *                   address: the connection is limited, and a ping crosses it;
 *   relayed-chat    over the same limited connection the node subscribes to
 *                   the chat and answers a fresh /nonce, signed;
 *   relay-server    a checker peer reserves a slot on the node, and another
 *                   reaches it through the node and pings it.
 *
 * The judgements live in circuit-relay.ts, shared with later lessons' `lesson-5` step.
 */
import type { CheckRun } from '../engine/check-run.ts'
import { expectRelayedChat, expectRelayedPing, expectRelayServer, expectReservation, prepareRelayPeers } from './circuit-relay.ts'
import { lesson1Holds, lesson2Holds, lesson3Holds, lesson4Holds } from './earlier-lessons.ts'
import { prepareDiscoveryPeers } from './finding-peers.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import type { Connection } from '@libp2p/interface'
import { startNode } from './start-node.ts'

export default async function checkCircuitRelay (run: CheckRun): Promise<void> {
  const [discovery, relaying] = await Promise.all([prepareDiscoveryPeers(run), prepareRelayPeers(run)])
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.dialers())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await Promise.all((await dialing).all.map(async dialer => { await dialer.stop() })) })

  const node = await startNode(run, { LLMESH_PEERS: discovery.bootstrapAddress, ...relaying.env })
  await lesson1Holds(run, node, dialing)
  await lesson2Holds(run, node, dialing)
  const [peers, relay] = await Promise.all([discovery.peers, relaying.peers])
  await Promise.all([discovery.joinLate(node), relaying.joinLate(node)])
  await lesson3Holds(run, node, peers.bootstrap, peers.chat)
  await lesson4Holds(run, node, peers)

  const circuit = await run.step('reserve', async (scope): Promise<PrintedAddress> => {
    const reserved = await expectReservation(run, scope, node, relay)
    scope.detail(reserved.detail)
    return reserved.circuit
  })

  const connection = await run.step('relayed-ping', async (scope): Promise<Connection> => {
    const relayed = await expectRelayedPing(scope, node, relay, circuit)
    scope.detail(relayed.detail)
    return relayed.connection
  })

  await run.step('relayed-chat', async (scope) => {
    scope.detail(await expectRelayedChat(scope, node, relay, connection))
  })

  await run.step('relay-server', async (scope) => {
    scope.detail(await expectRelayServer(scope, node, relay, run.env.tcpPort))
  })
}
