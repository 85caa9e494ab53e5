/**
 * "Still holds" steps: the learner grows one program, so every lesson's check
 * re-verifies, briefly, what each earlier lesson established, and a failure
 * names the lesson that taught it. Step ids are `lesson-N`.
 */
import type { CheckRun } from '../engine/check-run.ts'
import type { Dialers } from '../engine/checker-peers.ts'
import { StepFailure } from '../engine/step-failure.ts'
import { addressFor, dialFirstThatWorks, silentListener } from './dial.ts'
import { expectKeyFileIdentity } from './identity.ts'
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
