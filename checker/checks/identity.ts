/**
 * Lesson 1's identity, judged two ways: the node uses the key the checker put
 * in LLMESH_KEY_FILE, and, started where no key file exists yet, it saves the
 * key it generates (mode 0600) and comes back with the same peer id after a
 * restart. The second needs copies of the program of its own ("companions"),
 * started at once so they boot while the main program does.
 */
import { readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { CheckRun, StepScope } from '../engine/check-run.ts'
import { freePorts } from '../../mesh/free-ports.ts'
import { shortPeerId } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { displayPath } from '../paths.ts'
import type { StartedNode } from './start-node.ts'
import { readPrintedNode } from './start-node.ts'

export function expectKeyFileIdentity (run: CheckRun, node: StartedNode): void {
  if (node.peerId !== run.env.peerId) {
    fail('your node has a new identity: the checker wrote a private key to LLMESH_KEY_FILE, and your node must load it instead of generating one.', {
      expected: `${run.env.peerId} (from the key in LLMESH_KEY_FILE)`,
      seen: node.peerId
    })
  }
}

export interface SavedKeyProbe {
  /** The step body: waits for both runs of the companion and judges them. */
  verify: (scope: StepScope) => Promise<void>
}

/**
 * Start a copy of the program whose LLMESH_KEY_FILE does not exist yet (in a
 * folder that does not exist either), as soon as the main program starts, so
 * both boot together. Call before `startNode`.
 */
export function startSavedKeyProbe (run: CheckRun): SavedKeyProbe {
  const keyFile = join(dirname(run.env.keyFile), 'fresh', 'node.key')
  const ports = freePorts(2)
  const env = async (): Promise<Record<string, string>> => {
    const [tcp = 0, ws = 0] = await ports
    return { LLMESH_KEY_FILE: keyFile, LLMESH_TCP_PORT: String(tcp), LLMESH_WS_PORT: String(ws) }
  }
  const boot = async (signal: AbortSignal): Promise<{ peerId: string, stop: () => Promise<unknown> }> => {
    const vars = await env()
    const program = run.startCompanion(vars)
    const printed = await Promise.race([readPrintedNode(program, Number(vars.LLMESH_TCP_PORT), signal), run.exitOf(program)])
    return { peerId: printed.peerId, stop: async () => await program.kill() }
  }
  // The first run starts with the main program; the step waits for it.
  const controller = new AbortController()
  run.defer(() => { controller.abort() })
  const first = new Promise<Awaited<ReturnType<typeof boot>>>((resolve, reject) => {
    run.whenStarted(() => { boot(controller.signal).then(resolve, reject) })
  })
  first.catch(() => {}) // judged in the step

  return {
    verify: async (scope) => {
      scope.onTimeout('your program, started with no key file, did not print its addresses twice (once, then after a restart)')
      const where = displayPath(keyFile)
      let created
      try {
        created = await first
      } catch (err) {
        fail(`started with no key file at LLMESH_KEY_FILE, your program failed: ${(err as Error).message}`)
      }
      const saved = await readFile(keyFile).catch(() => undefined)
      if (saved == null) {
        fail('started with no key file, your node generated a key but never saved it: write it to LLMESH_KEY_FILE (creating its folder), so the next start finds it.', {
          expected: `a key file at ${where}`,
          seen: 'no file'
        })
      }
      let savedPeer: string
      try {
        savedPeer = peerIdFromPrivateKey(privateKeyFromProtobuf(saved)).toString()
      } catch (err) {
        fail('the key file your node saved is not a protobuf-encoded private key: write privateKeyToProtobuf(key).', { seen: (err as Error).message })
      }
      if (savedPeer !== created.peerId) {
        fail('the key your node saved is not the key it runs with: save the key you pass as privateKey.', { expected: created.peerId, seen: `${savedPeer} (from the file)` })
      }
      const mode = (await stat(keyFile)).mode & 0o777
      if (mode !== 0o600) {
        fail(`your node saved its private key readable by others (mode ${mode.toString(8).padStart(4, '0')}): write it with { mode: 0o600 }, so only you can read it.`, {
          expected: '0600',
          seen: mode.toString(8).padStart(4, '0')
        })
      }
      await created.stop()
      const again = await boot(scope.signal).catch((err: Error) => fail(`restarted with the key file it saved, your program failed: ${err.message}`))
      if (again.peerId !== created.peerId) {
        fail('restarted with the key file it had saved, your node came back with a different peer id: load the file when it exists.', {
          expected: created.peerId,
          seen: again.peerId
        })
      }
      scope.detail(`${shortPeerId(created.peerId)} saved (0600) and reloaded`)
    }
  }
}
