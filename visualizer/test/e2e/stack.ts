/**
 * The end-to-end stack: the built app served by `startWebServer`, a real agent on
 * random loopback ports with a temporary key, and terminal peers — all real
 * libp2p. Reuses the agent's own test harness for agents and terminal peers.
 */
import { join } from 'node:path'
import { ensureVisualizerBuilt, startWebServer } from '../../../agent/web-server.ts'
import type { RunningWebServer } from '../../../agent/web-server.ts'
import { testAgent } from '../../../agent/test/harness.ts'
import type { StartAgentOptions } from '../../../agent/agent.ts'

export type TestAgent = Awaited<ReturnType<typeof testAgent>>

export interface Stack {
  agent: TestAgent
  web: RunningWebServer
  /** The app's URL with the agent prefilled, as the banner prints it. */
  url: string
  /** The app's URL without `?agent=` (so a test can type an address). */
  bareUrl: string
  /** Stop the agent (the web server keeps serving the app). */
  stopAgent: () => Promise<void>
  /** Start the agent again: same key, same data dir (same /certhash), same ports. */
  restartAgent: () => Promise<TestAgent>
}

export async function buildApp (): Promise<void> {
  await ensureVisualizerBuilt({ log: line => { console.log(line) } })
}

function portOf (addresses: string[], proto: 'tcp' | 'udp'): number {
  const address = addresses[0] ?? ''
  const match = new RegExp(`/${proto}/(\\d+)`).exec(address)
  if (match == null) throw new Error(`no ${proto} port in ${address}`)
  return Number(match[1])
}

export async function startStack (agentOptions: StartAgentOptions = {}): Promise<Stack> {
  // Browsers prefer WebRTC-direct, so the agent offers it (the harness leaves it off by default).
  const options: StartAgentOptions = { webrtc: true, ...agentOptions }
  let agent = await testAgent(options)
  const dialable = (a: TestAgent): string[] => [...a.addresses.webrtcDirect, ...a.addresses.ws]
  const web = await startWebServer({ host: '127.0.0.1', port: 0, agentAddress: agent.browserAddress, agentAddresses: dialable(agent) })
  const ports = {
    tcpPort: portOf(agent.addresses.tcp, 'tcp'),
    wsPort: portOf(agent.addresses.ws, 'tcp'),
    webrtcPort: portOf(agent.addresses.webrtcDirect, 'udp')
  }
  const stack: Stack = {
    agent,
    web,
    url: web.url,
    bareUrl: web.url.split('?')[0]!,
    stopAgent: async () => { await stack.agent.stop() },
    restartAgent: async () => {
      agent = await testAgent({ ...options, ...ports, keyFile: join(agent.dir, 'agent.key'), dataDir: join(agent.dir, 'data') }, agent.dir)
      stack.agent = agent
      return agent
    }
  }
  return stack
}
