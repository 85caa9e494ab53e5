/**
 * Issue 13, item 11: the agent's process and files. SIGTERM to `npm run agent`
 * stops the agent (it exits when orphaned), and the WebRTC certificate's key on
 * disk is readable by its owner only.
 */
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../config.ts'
import { refusedUrl } from '../llm/test/fake-llm-servers.ts'
import { stopAll, tempDir, testAgent } from './harness.ts'

afterAll(stopAll)

async function accepts (port: number): Promise<boolean> {
  return await new Promise(resolve => {
    const socket = connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true) })
    socket.on('error', () => { resolve(false) })
  })
}

async function filesUnder (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter(e => e.isFile()).map(e => join(e.parentPath, e.name))
}

describe('the agent process', () => {
  it('SIGTERM to `npm run agent` stops the agent, not only npm', async () => {
    const dir = await tempDir()
    const npm = spawn('npm', ['run', '--silent', 'agent', '--', '--key-file', join(dir, 'agent.key'), '--tcp-port', '0', '--ws-port', '0', '--no-webrtc', '--no-mdns', '--offline'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', OLLAMA_HOST: await refusedUrl() },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    npm.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    npm.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const exited = new Promise(resolve => npm.on('exit', resolve))
    await expect.poll(() => /^tcp\s+\/ip4\/127\.0\.0\.1\/tcp\/(\d+)/m.exec(output), { timeout: 25_000, interval: 25, message: 'the banner' }).toBeTruthy()
    const port = Number(/^tcp\s+\/ip4\/127\.0\.0\.1\/tcp\/(\d+)/m.exec(output)![1])
    expect(await accepts(port)).toBe(true)
    npm.kill('SIGTERM')
    await exited
    // npm is gone; the agent below it must not stay behind, listening.
    await expect.poll(async () => await accepts(port), { timeout: 15_000, interval: 25, message: 'the agent to stop listening' }).toBe(false)
  }, 45_000)

  it('keeps the WebRTC certificate and everything else in its data directory readable by its owner only', async () => {
    const agent = await testAgent({ webrtc: true })
    const files = await filesUnder(join(agent.dir, 'data'))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) expect(((await stat(file)).mode & 0o777).toString(8), file).toBe('600')
    expect(((await stat(join(agent.dir, 'data'))).mode & 0o777).toString(8)).toBe('700')
  })
})
