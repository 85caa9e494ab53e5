/**
 * `npm start` as a child process: the real CLI (agent/main.ts --serve) builds the
 * app if needed, serves it, and prints the URL with the agent prefilled. A test
 * can SIGKILL it (no goodbye on any connection) and start it again on the same
 * ports with the same key and data dir (same peer id, same /certhash).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from '../../../agent/config.ts'
import { freePorts, freeUdpPort } from '../../../mesh/free-ports.ts'

export interface AgentPorts { tcp: number, ws: number, webrtc: number, http: number }

export async function freeAgentPorts (): Promise<AgentPorts> {
  const [tcp, ws, http] = await freePorts(3) as [number, number, number]
  return { tcp, ws, webrtc: await freeUdpPort(), http }
}

export interface AgentProcess {
  /** The "open the chat" URL from the banner. */
  url: string
  /** The "paste in the browser" address from the banner. */
  browserAddress: string
  output: () => string
  kill: () => Promise<void>
}

export async function startAgentProcess (dir: string, ports: AgentPorts, timeoutMs = 60_000): Promise<AgentProcess> {
  const child = spawn(process.execPath, [
    '--import', 'tsx', 'agent/main.ts', '--serve', '--offline', '--no-mdns',
    '--host', '127.0.0.1',
    '--tcp-port', String(ports.tcp), '--ws-port', String(ports.ws), '--webrtc-port', String(ports.webrtc), '--http-port', String(ports.http),
    '--key-file', join(dir, 'agent.key')
  ], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })

  const banner = await new Promise<{ url: string, browserAddress: string }>((resolveBanner, reject) => {
    const timer = setTimeout(() => { reject(new Error(`the agent printed no banner within ${timeoutMs} ms:\n${output}`)) }, timeoutMs)
    const check = (): void => {
      const url = /open the chat:\s+(\S+)/.exec(output)?.[1]
      const browserAddress = /paste in the browser:\s+(\S+)/.exec(output)?.[1]
      if (url != null && browserAddress != null) { clearTimeout(timer); resolveBanner({ url, browserAddress }) }
    }
    child.stdout!.on('data', check)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`the agent exited (${code}) before its banner:\n${output}`)) })
  })
  return {
    ...banner,
    output: () => output,
    kill: async () => { await killHard(child) }
  }
}

async function killHard (child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return
  const exited = new Promise<void>(done => child.once('exit', () => { done() }))
  child.kill('SIGKILL')
  await exited
}
