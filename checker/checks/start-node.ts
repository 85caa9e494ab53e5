/**
 * The step every lesson begins with: start the learner's program and read the
 * multiaddrs it prints. Compile errors, crashes, early exits and hangs all end
 * here, each with its own sentence (see engine/diagnose.ts).
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { CheckRun } from '../engine/check-run.ts'
import type { LearnerProgram } from '../engine/learner-process.ts'
import { addressesInLine, shortPeerId, uniqueAddresses } from '../engine/printed-addresses.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { displayPath } from '../paths.ts'

export interface StartedNode {
  program: LearnerProgram
  addresses: PrintedAddress[]
  /** The peer id in the printed addresses. */
  peerId: string
}

/** After the last new address, wait this long for more before judging. */
const SETTLE_MS = 150

export async function startNode (run: CheckRun, extraEnv: Record<string, string> = {}): Promise<StartedNode> {
  return await run.step('start', async (scope) => {
    scope.title(`start ${basename(run.programFile)}`)
    await requireProgram(run.programFile)
    const program = run.startProgram(extraEnv)
    scope.onTimeout('your program is running but never printed its multiaddrs on stdout', {
      expected: `lines like /ip4/127.0.0.1/tcp/${run.env.tcpPort}/p2p/12D3KooW…`,
      seen: () => lastWords(program)
    })

    const printed = await readPrintedNode(program, run.env.tcpPort, scope.signal)
    scope.detail(`${printed.addresses.length} address${printed.addresses.length === 1 ? '' : 'es'}, peer ${shortPeerId(printed.peerId)}`)
    return { program, ...printed }
  })
}

/** The addresses a started program printed, all of one peer id that they name. */
export async function readPrintedNode (program: LearnerProgram, tcpPort: number, signal: AbortSignal): Promise<Omit<StartedNode, 'program'>> {
  const printed = await printedAddresses(program, signal)
  const withPeerId = printed.filter(a => a.peerId != null)
  if (withPeerId.length === 0) {
    fail('your program printed addresses without a /p2p/<peer id> part, so nobody can check who answers there: print node.getMultiaddrs(), which include it.', {
      expected: `/ip4/127.0.0.1/tcp/${tcpPort}/p2p/12D3KooW…`,
      seen: printed.map(a => a.text).join('  ')
    })
  }
  const peerIds = new Set(withPeerId.map(a => a.peerId))
  if (peerIds.size > 1) {
    fail('your program printed addresses of more than one peer id: print the addresses of one node.', {
      seen: [...peerIds].join(', ')
    })
  }
  return { addresses: withPeerId, peerId: withPeerId[0]?.peerId ?? '' }
}

/** Resolves once the program printed TCP and WebSocket addresses, or went quiet after printing some. */
async function printedAddresses (program: LearnerProgram, signal: AbortSignal): Promise<PrintedAddress[]> {
  return await new Promise<PrintedAddress[]>((resolve) => {
    let found: PrintedAddress[] = []
    let settle: NodeJS.Timeout | undefined
    let finished = false
    let stop = (): void => {}
    const done = (): void => {
      finished = true
      stop()
      clearTimeout(settle)
      resolve(found)
    }
    // onLine replays the lines printed so far at once, so `done` may run before it returns.
    stop = program.onLine((line) => {
      if (finished || line.stream !== 'stdout') return
      const inLine = addressesInLine(line.text)
      if (inLine.length === 0) return
      found = uniqueAddresses([...found, ...inLine])
      const complete = found.some(a => a.kind === 'tcp' && a.peerId != null) && found.some(a => a.kind === 'ws' && a.peerId != null)
      clearTimeout(settle)
      if (complete) done()
      else settle = setTimeout(done, SETTLE_MS)
    })
    if (finished) stop()
    signal.addEventListener('abort', () => { stop(); clearTimeout(settle) }, { once: true })
  })
}

/**
 * Without `mesh/compat.ts`, libp2p on Node 20 does not crash: it starts, then
 * every handshake fails deep inside, which no step could explain. So this one
 * precondition is read from the source, before the program runs.
 */
async function requireProgram (programFile: string): Promise<void> {
  const source = await readFile(programFile, 'utf8').catch(() => undefined)
  if (source == null) fail(`${displayPath(programFile)} does not exist: \`npm run lesson -- --reset\` brings back the starter.`)
  if (Number(process.versions.node.split('.')[0]) >= 22) return
  if (/^\s*import\s+['"][./]*mesh\/compat(?:\.ts)?['"]/m.test(source)) return
  fail('your program no longer imports the Node 20 polyfills libp2p needs: put `import \'../../mesh/compat.ts\'` back as its first line.', {
    expected: 'import \'../../mesh/compat.ts\'',
    seen: 'no such import'
  })
}

export function lastWords (program: LearnerProgram): string {
  const last = program.lines.at(-1)
  return last == null ? 'no output at all' : `last output: "${last.text.slice(0, 120)}"`
}

/** How long before the node printed its addresses a checker peer must have been listening. */
const LATE_MARGIN_MS = 50

/**
 * A node dials the peers it is given right after printing its addresses. On a
 * very slow machine a checker peer that became ready at `readyAt`
 * (performance.now()) may not have been listening yet: then it dials the node instead.
 */
export function printedLate (node: StartedNode, readyAt: number): boolean {
  const firstAddressAt = node.program.startedAt + (node.program.lines.find(line => line.text.includes(node.peerId))?.at ?? 0)
  return readyAt > firstAddressAt - LATE_MARGIN_MS
}
