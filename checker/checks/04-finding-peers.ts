/**
 * Lesson 4: lessons 1–3 still hold; then, given one bootstrap address (the
 * checker's bootstrap peer, in LLMESH_PEERS), the node finds the rest of the
 * mesh, in the order of the lesson's TODOs:
 *
 *   discover   the bootstrap peer announces a second peer on the discovery
 *              topic; the node must dial it (the second peer sees it arrive);
 *   find-peer  `/find <peer id>` on stdin names a third peer whose address only
 *              the bootstrap peer's DHT knows; the node must look it up and dial
 *              it, twice: the second time it is no longer new to the node, so
 *              only dialing what the lookup returned connects;
 *   serve-dht  a fourth peer connects to the node; the bootstrap peer looks it
 *              up in the DHT, and only the node can answer.
 *
 * Every verdict is a connection or a DHT answer seen by a checker peer whose
 * address the node could only have learnt the way the lesson teaches. The
 * judgements live in finding-peers.ts, shared with later lessons' `lesson-4` step.
 */
import type { CheckRun } from '../engine/check-run.ts'
import { lesson1Holds, lesson2Holds, lesson3Holds } from './earlier-lessons.ts'
import { expectDiscoveryDial, expectFindPeer, expectServesDht, prepareDiscoveryPeers } from './finding-peers.ts'
import { startNode } from './start-node.ts'

export default async function checkFindingPeers (run: CheckRun): Promise<void> {
  const discovery = await prepareDiscoveryPeers(run)
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.dialers())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await Promise.all((await dialing).all.map(async dialer => { await dialer.stop() })) })

  const node = await startNode(run, { LLMESH_PEERS: discovery.bootstrapAddress })
  await lesson1Holds(run, node, dialing)
  await lesson2Holds(run, node, dialing)
  const peers = await discovery.peers
  await discovery.joinLate(node)
  await lesson3Holds(run, node, peers.bootstrap, peers.chat)

  await run.step('discover', async (scope) => {
    scope.detail(await expectDiscoveryDial(run, scope, node, peers))
  })

  await run.step('find-peer', async (scope) => {
    scope.detail(await expectFindPeer(run, scope, node, peers, true))
  })

  await run.step('serve-dht', async (scope) => {
    scope.detail(await expectServesDht(scope, node, peers))
  })
}
