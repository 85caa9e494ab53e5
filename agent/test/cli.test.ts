/**
 * The command a newcomer runs: `npm run agent`. Started as a real child process.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { REPO_ROOT } from '../config.ts'
import { refusedUrl } from '../llm/test/fake-llm-servers.ts'
import { stopAll, tempDir, testPeer } from './harness.ts'

afterAll(stopAll)

function runAgent (args: string[], env: Record<string, string> = {}) {
  // OLLAMA_HOST must be set by the caller: a developer's real Ollama must not answer tests.
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'agent/main.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  return { child, output: () => output, exited }
}

describe('npm run agent', () => {
  it('prints the banner, answers a peer with the offline persona when no LLM runs, and exits 0 on SIGTERM', async () => {
    const dir = await tempDir()
    const agent = runAgent(['--key-file', join(dir, 'agent.key'), '--tcp-port', '0', '--ws-port', '0', '--webrtc-port', '0', '--no-mdns'], { OLLAMA_HOST: await refusedUrl() })
    try {
      await expect.poll(() => agent.output().includes('paste in the browser:'), { timeout: 20_000, interval: 25, message: 'the banner' }).toBe(true)
      const banner = agent.output()
      expect(banner).toMatch(/peer id\s+12D3Koo\w+ \(new identity saved to /)
      expect(banner).toMatch(/^tcp\s+\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//m)
      expect(banner).toMatch(/^ws\s+\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//m)
      expect(banner).toMatch(/^webrtc\s+\/ip4\/127\.0\.0\.1\/udp\/\d+\/webrtc-direct\/certhash\//m)
      const ws = /^ws\s+(\S+)/m.exec(banner)![1]!

      const peer = await testPeer()
      await peer.node.dial(multiaddr(ws))
      await peer.waitForChat(line => line.text.startsWith('🛸 Welcome'))
      await peer.say('who is here?')
      const answer = await peer.waitForChat(line => line.text.includes(peer.id.slice(-6)) && !line.text.startsWith('🛸 Welcome'))
      expect(answer.text).toMatch(/no (language )?model/i)
      // The log says which provider answered and why Ollama was skipped.
      await expect.poll(() => /answering …?\w+ with offline/.test(agent.output()), { timeout: 5000, interval: 25, message: 'provider log line' }).toBe(true)
      expect(agent.output()).toMatch(/skipped ollama: .*(refused|reach)/i)
    } finally {
      agent.child.kill('SIGTERM')
    }
    expect(await agent.exited).toBe(0)
  })

  it('names the flag to change when the WebRTC-direct UDP port is taken', async () => {
    const { createSocket } = await import('node:dgram')
    const blocker = createSocket('udp4')
    await new Promise<void>(resolve => blocker.bind(0, '127.0.0.1', resolve))
    const udpPort = blocker.address().port
    try {
      const dir = await tempDir()
      const agent = runAgent(['--key-file', join(dir, 'agent.key'), '--tcp-port', '0', '--ws-port', '0', '--webrtc-port', String(udpPort), '--no-mdns', '--offline'])
      expect(await agent.exited).toBe(2)
      expect(agent.output()).toContain(`✗ UDP port ${udpPort} (WebRTC-direct) is already in use (is another agent running?): stop it, pass --webrtc-port <other port>, or --no-webrtc`)
    } finally {
      blocker.close()
    }
  })

  it('rejects a bad flag and a malformed --bootstrap address with one clear line, and keeps running on the latter', async () => {
    const bad = runAgent(['--tcp-port', 'banana'], { LLMESH_OFFLINE: '1' })
    expect(await bad.exited).toBe(2)
    expect(bad.output().trim()).toBe('✗ --tcp-port must be a port number from 0 to 65535, got "banana"')

    const dir = await tempDir()
    const agent = runAgent(['--key-file', join(dir, 'agent.key'), '--tcp-port', '0', '--ws-port', '0', '--webrtc-port', '0', '--no-mdns', '--offline', '--bootstrap', '/ip4/127.0.0.1/tcp/1'])
    try {
      await expect.poll(() => agent.output().includes('paste in the browser:'), { timeout: 20_000, interval: 25, message: 'the banner' }).toBe(true)
      expect(agent.output()).toMatch(/ignoring --bootstrap \/ip4\/127\.0\.0\.1\/tcp\/1: The address has no \/p2p\//)
    } finally {
      agent.child.kill('SIGTERM')
    }
    expect(await agent.exited).toBe(0)
  })
})
