/**
 * Lesson 2: what lesson 1 built still holds; the node offers only Noise,
 * negotiates Yamux, answers ping, names itself a terminal LLMesh node in
 * identify, and runs the lesson's own protocol, /llmesh/echo/1.0.0, on two
 * streams at once.
 */
import type { Connection } from '@libp2p/interface'
import type { CheckRun } from '../engine/check-run.ts'
import { addressFor, silentListener } from './dial.ts'
import { lesson1Holds } from './earlier-lessons.ts'
import { connectSecurely, expectEcho, expectOnlyNoise, expectPing, expectTerminalIdentify, YAMUX } from './secure-channel.ts'
import { startNode } from './start-node.ts'

const PING_COUNT = 3

export default async function checkSecureChannelAndMuxing (run: CheckRun): Promise<void> {
  // Load libp2p and start the checker's peers while the learner's program boots.
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.dialers())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await Promise.all((await dialing).all.map(async dialer => { await dialer.stop() })) })

  const node = await startNode(run)
  await lesson1Holds(run, node, dialing)

  await run.step('noise', async (scope) => {
    // A libp2p node answers multistream-select at once; silence means nothing is serving the socket.
    scope.onTimeout(silentListener(run.env.tcpPort))
    scope.detail(await expectOnlyNoise(run.env.tcpPort, scope.signal))
  })

  const { secure } = await dialing
  let connection!: Connection
  await run.step('yamux', async (scope) => {
    scope.onTimeout(`your node accepted Noise but never agreed on a stream muxer (the checker offered ${YAMUX})`)
    connection = await connectSecurely(secure, addressFor(node, 'tcp', run.env.tcpPort), scope.signal)
    scope.detail(`${connection.encryption ?? ''} + ${connection.multiplexer ?? ''}`)
  })

  await run.step('ping', async (scope) => {
    const rtts = await expectPing(secure, connection, scope, PING_COUNT)
    scope.detail(`${PING_COUNT} pings, RTT ${rtts.map(ms => Math.round(ms)).join(' / ')} ms`)
  })

  await run.step('identify', async (scope) => {
    scope.detail(await expectTerminalIdentify(secure, connection, scope.signal))
  })

  await run.step('echo', async (scope) => {
    scope.detail(await expectEcho(secure, connection, scope))
  })
}
