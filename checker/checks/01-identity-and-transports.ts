/**
 * Lesson 1: the node loads its key from LLMESH_KEY_FILE; with no key file it
 * saves the key it generates (mode 0600) and reloads it after a restart; it
 * listens on the TCP and WebSocket ports it was given, and the peer answering
 * on each is the one printed, whatever encrypter and muxer it already has.
 */
import type { CheckRun } from '../engine/check-run.ts'
import { shortAddress, shortPeerId } from '../engine/printed-addresses.ts'
import { addressFor, dialFirstThatWorks, silentListener } from './dial.ts'
import { expectKeyFileIdentity, startSavedKeyProbe } from './identity.ts'
import { startNode } from './start-node.ts'

export default async function checkIdentityAndTransports (run: CheckRun): Promise<void> {
  // Load libp2p and start the checker's peers while the learner's program boots.
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.dialers())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await Promise.all((await dialing).all.map(async dialer => { await dialer.stop() })) })
  const savedKey = startSavedKeyProbe(run)

  const node = await startNode(run)

  await run.step('identity', async (scope) => {
    expectKeyFileIdentity(run, node)
    scope.detail(shortPeerId(node.peerId))
  })

  await run.step('saved-key', async (scope) => { await savedKey.verify(scope) })

  const { bare, secure } = await dialing
  // Lesson 1's own configuration first; a node that is ahead (Noise + Yamux)
  // needs the other dialer, and then gets it first for its second address.
  let order = [bare, secure]
  for (const [id, kind, port] of [['tcp', 'tcp', run.env.tcpPort], ['websockets', 'ws', run.env.wsPort]] as const) {
    await run.step(id, async (scope) => {
      const address = addressFor(node, kind, port)
      scope.title(`dial ${shortAddress(address.text)}`)
      scope.onTimeout(silentListener(port))
      const { connection, dialer } = await dialFirstThatWorks(order, address, scope.signal)
      order = [dialer, ...order.filter(d => d !== dialer)]
      scope.detail(`answered by ${shortPeerId(connection.remotePeer.toString())}`)
      await connection.close()
    })
  }
}
