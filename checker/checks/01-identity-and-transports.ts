/**
 * Lesson 1: the node loads its key from LLMESH_KEY_FILE, listens on the TCP and
 * WebSocket ports it was given, and the peer answering on each is the one printed.
 */
import type { CheckRun } from '../engine/check-run.ts'
import { shortAddress, shortPeerId } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { addressFor, dialPrinted, silentListener } from './dial.ts'
import { startNode } from './start-node.ts'

export default async function checkIdentityAndTransports (run: CheckRun): Promise<void> {
  // Load libp2p and start the checker's peer while the learner's program boots.
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.identityDialer())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await (await dialing).stop() })

  const node = await startNode(run)

  await run.step('identity', async (scope) => {
    if (node.peerId !== run.env.peerId) {
      fail('your node has a new identity: the checker wrote a private key to LLMESH_KEY_FILE, and your node must load it instead of generating one.', {
        expected: `${run.env.peerId} (from the key in LLMESH_KEY_FILE)`,
        seen: node.peerId
      })
    }
    scope.detail(shortPeerId(node.peerId))
  })

  const dialer = await dialing
  for (const [id, kind, port] of [['tcp', 'tcp', run.env.tcpPort], ['websockets', 'ws', run.env.wsPort]] as const) {
    await run.step(id, async (scope) => {
      const address = addressFor(node, kind, port)
      scope.title(`dial ${shortAddress(address.text)}`)
      scope.onTimeout(silentListener(port))
      const connection = await dialPrinted(dialer, address, scope.signal)
      scope.detail(`answered by ${shortPeerId(connection.remotePeer.toString())}`)
      await connection.close()
    })
  }
}
