/**
 * `npm run check -- --watch` checks again when the learner saves, with native
 * file events and with the polling fallback (WSL, mounted drives).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pollingWanted } from '../cli/watch.ts'
import { REPO_ROOT } from '../paths.ts'
import { processesMentioning } from './helpers.ts'

describe('polling fallback', () => {
  it('follows CHOKIDAR_USEPOLLING, and WSL', () => {
    expect(pollingWanted({ CHOKIDAR_USEPOLLING: '1' })).toBe(true)
    expect(pollingWanted({ CHOKIDAR_USEPOLLING: 'true' })).toBe(true)
    expect(pollingWanted({ CHOKIDAR_USEPOLLING: 'false', WSL_DISTRO_NAME: 'Ubuntu' })).toBe(false)
    expect(pollingWanted({ WSL_DISTRO_NAME: 'Ubuntu' })).toBe(true)
  })
})

describe.each([['native events', []], ['polling', ['--poll']]] as const)('watch mode with %s', (_name, flags) => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'llmesh-watch-')) })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('checks on start and again after a save', async () => {
    const program = join(dir, 'node.ts')
    // A program that exits at once: a fast, failing check.
    await writeFile(program, 'console.log("first version")\n')
    const watcher = spawn(process.execPath, ['--import', 'tsx', 'checker/cli/check.ts', '--watch', ...flags, '--file', program, '1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, LLMESH_STATE_DIR: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let output = ''
    watcher.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const checks = (): number => output.split('lesson 1 failed').length - 1
    try {
      await expect.poll(() => output.includes('save to check again'), { timeout: 10_000, interval: 25 }).toBe(true)
      expect(checks()).toBe(1)
      await writeFile(program, 'console.log("second version")\n')
      await expect.poll(() => checks() >= 2 && output.lastIndexOf('save to check again') > output.lastIndexOf('lesson 1 failed'), { timeout: 10_000, interval: 25 }).toBe(true)
      expect(checks()).toBe(2)
      expect(output).toContain(flags.length > 0 ? '(polling)' : 'save to check again')
    } finally {
      watcher.kill('SIGINT')
      await new Promise(resolve => watcher.once('exit', resolve))
    }
    expect(processesMentioning(program)).toEqual([])
  })
})
