/**
 * The engine's promises about bad programs: a compile error, a crash, an early
 * exit, a hang, a wrong port and a fake that only prints the right lines each
 * get one clear sentence, in bounded time, with no process left behind.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StepResult } from '../engine/check-result.ts'
import { scaled } from '../engine/time-limits.ts'
import { lessons } from '../lessons.ts'
import { checkProgram, fixture, leftBehind, lesson, nothingLeftBehind, uniqueSeconds, withEnv } from './helpers.ts'

function failedStep (steps: StepResult[]): StepResult | undefined {
  return steps.find(step => step.status === 'failed')
}

/** The failure came from what the program did, not from waiting out the step's time limit. */
function expectBeforeLimit (failed: StepResult | undefined): void {
  const limit = Object.values(lessons).flatMap(l => Object.entries(l.steps)).find(([id]) => id === failed?.id)?.[1].timeoutMs ?? 0
  expect(failed?.durationMs).toBeLessThan(scaled(limit))
}

/** "One clear sentence": a single line, no stack trace. */
function expectOneSentence (message: string | undefined): void {
  expect(message).toBeDefined()
  expect(message).not.toContain('\n')
  expect(message).not.toMatch(/\n\s+at /)
}

describe('a program that does not compile', () => {
  let dir: string
  beforeAll(async () => {
    // A real file with a syntax error cannot live in the repository: `tsc` would fail on it.
    dir = await mkdtemp(join(tmpdir(), 'llmesh-compile-'))
    await copyFile(fixture('compile-error.ts.txt'), join(dir, 'node.ts'))
  })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('is named with its file and line', async () => {
    const { result, pid } = await checkProgram(lesson('1'), join(dir, 'node.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('start')
    expect(failed?.message).toMatch(/node\.ts does not compile: line 6: Expected "}" but found "console"\.$/)
    expectOneSentence(failed?.message)
    // Its own hint, with the file as it is, not the start step's general advice.
    expect(failed?.hint).toContain(`\`npx tsx ${join(dir, 'node.ts')}\``)
    expectBeforeLimit(failed)
    expect(leftBehind(pid, dir)).toEqual({ group: [], processes: [] })
  })
})

describe('a program that dropped the compat import', () => {
  it('is told to put it back, before it runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llmesh-compat-'))
    try {
      await writeFile(join(dir, 'node.ts'), "import { createLibp2p } from 'libp2p'\nawait createLibp2p()\n")
      const { result, pid } = await checkProgram(lesson('1'), join(dir, 'node.ts'))
      const failed = failedStep(result.steps)
      expect(failed?.id).toBe('start')
      expect(failed?.message).toMatch(/put `import '..\/..\/mesh\/compat.ts'` back as its first line/)
      expect(pid).toBe(-1) // never started
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('bad programs', () => {
  it('a crash names the error and the line it was thrown on', async () => {
    const { result, pid } = await checkProgram(lesson('1'), fixture('crash.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('start')
    expect(failed?.message).toBe('your program crashed at checker/test/fixtures/crash.ts:8: TypeError: createLibp2p is not a function')
    expectBeforeLimit(failed)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })

  it('an early exit says a node must keep running', async () => {
    const { result, pid } = await checkProgram(lesson('2'), fixture('exits-early.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('start')
    expect(failed?.message).toMatch(/^your program exited \(code 0\): a node must keep running/)
    expectOneSentence(failed?.message)
    expectBeforeLimit(failed)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })

  it('a hang is stopped at the time limit, grandchildren included', async () => {
    // 10 s × 0.3: the start step's limit, shortened to keep the suite quick.
    const sleep = `sleep ${uniqueSeconds()}`
    const { result, pid, elapsedMs } = await withEnv({ LLMESH_TIME_SCALE: '0.3', LLMESH_TEST_SLEEP: sleep.slice(6) }, async () => await checkProgram(lesson('1'), fixture('hang.ts')))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('start')
    expect(failed?.message).toBe('your program is running but never printed its multiaddrs on stdout (waited 3.0 s).')
    expect(failed?.seen).toBe('last output: "warming up…"')
    expect(elapsedMs).toBeLessThan(6_000)
    // The fixture started `sleep <n>`: the kill must have reached it too.
    expect(leftBehind(pid, sleep)).toEqual({ group: [], processes: [] })
  })

  it('a wrong port names both ports', async () => {
    const { result, pid } = await checkProgram(lesson('1'), fixture('wrong-port.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('tcp')
    expect(failed?.message).toMatch(/^your node listens for TCP on port \d+, but the checker asked for port \d+ in LLMESH_TCP_PORT\.$/)
    expectBeforeLimit(failed)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })
})

describe('a program that accepts connections but never answers them', () => {
  // LLMESH_TIME_SCALE 0.5 halves the time limits these failures wait out.
  const silent = 'something accepts connections on port \\d+ but never answered the libp2p handshake, as if your program\'s event loop were blocked \\(waited \\d\\.\\d s\\)\\.'

  it('is named in lesson 1\'s dial step', async () => {
    const { result, pid } = await withEnv({ LLMESH_TIME_SCALE: '0.5' }, async () => await checkProgram(lesson('1'), fixture('silent-listener.ts')))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('tcp')
    expect(failed?.message).toMatch(new RegExp(`^${silent}$`))
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })

  it('is named in lesson 2\'s first dial, the one that re-checks lesson 1', async () => {
    const { result, pid } = await withEnv({ LLMESH_TIME_SCALE: '0.5' }, async () => await checkProgram(lesson('2'), fixture('silent-listener.ts')))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('lesson-1')
    expect(failed?.message).toMatch(new RegExp(`^lesson 1 no longer holds: ${silent}$`))
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })
})

describe('a node that offers plaintext beside Noise', () => {
  it('fails the noise step: a peer could still talk it into plaintext', async () => {
    const { result, pid } = await checkProgram(lesson('2'), fixture('offers-plaintext.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('noise')
    expect(failed?.message).toBe('your node still offers /plaintext/2.0.0: remove plaintext() from connectionEncrypters.')
    expectOneSentence(failed?.message)
    expectBeforeLimit(failed)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })
})

describe('a chat node that does not sign its messages', () => {
  it('is told so at the first step it fails, long before the time limit', async () => {
    // It drops the checker's signed messages, so it fails "receive"; the checker types a
    // line on its stdin to see it publish unsigned, and says so.
    const { result, pid } = await checkProgram(lesson('3'), fixture('unsigned-chat.ts'))
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('receive')
    expect(failed?.message).toMatch(/it was not signed\. Set globalSignaturePolicy: StrictSign/)
    expectBeforeLimit(failed)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })
})

describe('a fake that prints what a working node prints, but runs no node', () => {
  it('fails lesson 1 when the checker dials the printed address', async () => {
    const { result, pid } = await checkProgram(lesson('1'), fixture('prints-only.ts'))
    // It even derived the right peer id from the key file, and saved a new one; the wire still tells the truth.
    expect(result.steps.find(step => step.id === 'identity')?.status).toBe('passed')
    expect(result.steps.find(step => step.id === 'saved-key')?.status).toBe('passed')
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('tcp')
    expect(failed?.message).toMatch(/^nothing accepts connections on port \d+: your program printed .* but no node listens there\.$/)
    expect(leftBehind(pid)).toEqual({ group: [], processes: [] })
  })

  it('fails lesson 3: printing a nonce answer is not publishing one', async () => {
    // A working chat node that only prints its answer: it gets as far as the nonce, and no further.
    const checked = await checkProgram(lesson('3'), fixture('nonce-print-only.ts'))
    const { result } = checked
    expect(result.steps.filter(step => step.status === 'passed').map(step => step.id)).toEqual(['start', 'lesson-1', 'lesson-2', 'connect', 'subscribe', 'receive'])
    const failed = failedStep(result.steps)
    expect(failed?.id).toBe('nonce')
    expect(failed?.message).toMatch(/^your node did not answer the checker's \/nonce message/)
    // It printed the very answer the checker waited for, and still failed.
    const nonce = /\/nonce ([0-9a-f]+)/.exec(failed?.seen ?? '')?.[1] ?? 'none'
    expect(result.output.some(line => line.startsWith(`nonce ${nonce} 12D3KooW`))).toBe(true)
    expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
  })
})
