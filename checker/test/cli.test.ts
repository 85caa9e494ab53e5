/**
 * The commands as a learner (or CI) runs them: `npx tsx checker/cli/….ts`, with
 * progress in a temp LLMESH_STATE_DIR so the real `.llmesh/` is never touched.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lessons } from '../lessons.ts'
import { REPO_ROOT } from '../paths.ts'
import { fixture, leftBehind, processesMentioning, processGroupOf, uniqueSeconds } from './helpers.ts'

let stateDir: string

beforeAll(async () => { stateDir = await mkdtemp(join(tmpdir(), 'llmesh-cli-state-')) })
afterAll(async () => { await rm(stateDir, { recursive: true, force: true }) })

interface CliRun { code: number, stdout: string, stderr: string }

/** Runs a workshop command; `timeoutMs` only stops a hung command (every lesson at once takes longer). */
async function cli (command: 'check' | 'lesson' | 'hint', ...args: string[]): Promise<CliRun> {
  const timeoutMs = args.includes('--all') ? 120_000 : 30_000
  return await new Promise((resolve) => {
    execFile('npx', ['tsx', `checker/cli/${command}.ts`, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, LLMESH_STATE_DIR: stateDir, NO_COLOR: '1', FORCE_COLOR: '0' },
      timeout: timeoutMs
    }, (error, stdout, stderr) => {
      const code = error == null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

describe('npm run check -- --json', () => {
  it('reports a passing solution with every step id, status and duration', async () => {
    const { code, stdout } = await cli('check', '--json', '--solution', '2')
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result).toMatchObject({ lessonId: '02-secure-channel-and-muxing', lessonNumber: 2, passed: true })
    expect(result.steps.map((step: { id: string }) => step.id)).toEqual(Object.keys(lessons[1]?.steps ?? {}))
    for (const step of result.steps) {
      expect(step.status).toBe('passed')
      expect(Number.isInteger(step.durationMs)).toBe(true)
    }
  })

  it('reports a crash as a failed start step and exit code 1', async () => {
    const { code, stdout } = await cli('check', '--json', '--file', fixture('crash.ts'), '1')
    expect(code).toBe(1)
    const result = JSON.parse(stdout)
    expect(result.passed).toBe(false)
    expect(result.failedStep).toBe('start')
    expect(result.steps[0]).toMatchObject({ id: 'start', status: 'failed', message: 'your program crashed at checker/test/fixtures/crash.ts:8: TypeError: createLibp2p is not a function' })
    expect(result.steps.slice(1).every((step: { status: string }) => step.status === 'skipped')).toBe(true)
  })

  it('checks every reference solution with --all --solution', async () => {
    const { code, stdout } = await cli('check', '--json', '--all', '--solution')
    const summary = JSON.parse(stdout)
    expect(summary.results.map((r: { lessonId: string, passed: boolean }) => [r.lessonId, r.passed])).toEqual(lessons.map(l => [l.id, true]))
    expect(summary.passed).toBe(true)
    expect(code).toBe(0)
  }, 150_000)

  it('answers an unknown lesson with one line and exit code 2', async () => {
    const { code, stderr } = await cli('check', '42')
    expect(code).toBe(2)
    expect(stderr.trim()).toBe(`✗ there is no lesson "42": pick one of ${lessons.map((_lesson, index) => index + 1).join(', ')} (npm run lesson lists them).`)
  })
})

describe('Ctrl-C during a check', () => {
  it('kills the learner\'s whole process group before the checker exits', async () => {
    const sleep = `sleep ${uniqueSeconds()}` // the fixture's grandchild, told apart from other tests' ones
    // The checker itself, not npx: SIGINT must reach our handler directly.
    const checker = spawn(process.execPath, ['--import', 'tsx', 'checker/cli/check.ts', '--file', fixture('hang.ts'), '1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, LLMESH_STATE_DIR: stateDir, LLMESH_TEST_SLEEP: sleep.slice(6) },
      stdio: 'ignore'
    })
    const exited = new Promise<number | null>((resolve) => checker.once('exit', (code) => { resolve(code) }))
    // Wait until the fixture's grandchild runs, so there is a group to kill.
    const deadline = Date.now() + 10_000
    while (processesMentioning(sleep).length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50))
    const [grandchild] = processesMentioning(sleep)
    const group = processGroupOf(grandchild ?? -1) ?? -1 // the learner program's group: sleep inherited it
    expect(group).toBeGreaterThan(0)
    checker.kill('SIGINT')
    expect(await exited).toBe(130)
    // SIGKILL was sent before the checker exited; give the kernel a moment to finish them off.
    const gone = Date.now() + 2_000
    while (leftBehind(group, sleep).group.length > 0 && Date.now() < gone) await new Promise(resolve => setTimeout(resolve, 20))
    expect(leftBehind(group, sleep)).toEqual({ group: [], processes: [] })
  })
})

describe('npm run lesson and npm run hint', () => {
  it('lists the lessons with a progress bar, and `lesson 2` shows it and makes it current', async () => {
    const list = await cli('lesson')
    expect(list.code).toBe(0)
    expect(list.stdout).toContain(`0 of ${lessons.length} lessons passed`)
    expect(list.stdout).toContain('Identity and transports')

    const shown = await cli('lesson', '2')
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Lesson 2 · Secure channel and muxing')
    expect(shown.stdout).toContain('edit   lessons/02-secure-channel-and-muxing/node.ts')
    expect(shown.stdout).toContain('npm run lesson 3') // the link to the next lesson, as a command
    const progress = JSON.parse(await readFile(join(stateDir, 'progress.json'), 'utf8'))
    expect(progress.current).toBe('02-secure-channel-and-muxing')
  })

  it('deepens the hint for the step that failed last, then points at the solution', async () => {
    await writeFile(join(stateDir, 'progress.json'), JSON.stringify({
      current: '01-identity-and-transports',
      lessons: {
        '01-identity-and-transports': { status: 'failed', checks: 1, lastFailedStep: 'identity', failures: { identity: 1 }, hintsShown: { identity: 1 } }
      }
    }))
    const second = await cli('hint')
    expect(second.stdout).toContain('hint 2 of 3 · identity')
    const third = await cli('hint')
    expect(third.stdout).toContain('hint 3 of 3 · identity')
    const last = await cli('hint')
    expect(last.stdout).toContain('solution · identity')
    expect(last.stdout).toContain('solutions/01-identity-and-transports/node.ts')
  })
})

describe('usage', () => {
  it.each(['lesson', 'check', 'hint'] as const)('npm run %s -- --help prints the usage and exits 0', async (command) => {
    const { code, stdout, stderr } = await cli(command, '--help')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain(`npm run ${command}`)
  })

  it.each(['lesson', 'check', 'hint'] as const)('npm run %s with an unknown option names it, prints the usage and exits 2', async (command) => {
    const { code, stderr } = await cli(command, '--bogus')
    expect(code).toBe(2)
    expect(stderr).toMatch(/^✗ unknown option --bogus; these are the ones there are:\n\nnpm run /)
  })
})

describe('what to do next', () => {
  it('npm run lesson ends with the next lesson once the current one passed', async () => {
    await writeFile(join(stateDir, 'progress.json'), JSON.stringify({
      current: '01-identity-and-transports',
      lessons: { '01-identity-and-transports': { status: 'passed', checks: 1, failures: {}, hintsShown: {} } }
    }))
    const { stdout } = await cli('lesson')
    expect(stdout.trim().split('\n').at(-1)).toBe('lesson 1 passed · next: npm run lesson 2 (Secure channel and muxing)')
  })

  it('npm run check -- --all ends with a summary line', async () => {
    await writeFile(join(stateDir, 'progress.json'), JSON.stringify({ current: '01-identity-and-transports', lessons: {} }))
    const { code, stdout } = await cli('check', '--all')
    expect(code).toBe(1) // the untouched starter of lesson 1
    expect(stdout.trim().split('\n').at(-1)).toBe('✗ 0 of 1 lessons passed; failed: lesson 1 at "peer id comes from LLMESH_KEY_FILE"')
  })
})
