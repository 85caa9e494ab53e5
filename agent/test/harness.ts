/**
 * Test harness: real agents and real libp2p peers on 127.0.0.1, random ports,
 * temporary key files. Everything started here is stopped by `stopAll()`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLibp2p } from 'libp2p'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { GossipSub, Message } from '@libp2p/gossipsub'
import type { Ping } from '@libp2p/ping'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { parseExtensionMessage } from '../../mesh/extension.ts'
import type { ExtensionMessage } from '../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { installTopicValidators } from '../../mesh/gossip.ts'
import { startAgent } from '../agent.ts'
import type { RunningAgent, StartAgentOptions } from '../agent.ts'

const cleanups: Array<() => Promise<unknown>> = []

export async function stopAll (): Promise<void> {
  const tasks = cleanups.splice(0).reverse()
  for (const task of tasks) await task().catch(() => {})
}

export async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmesh-test-'))
  cleanups.push(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** An agent on random loopback ports with its own key file and data dir. */
export async function testAgent (options: StartAgentOptions = {}, dir?: string): Promise<RunningAgent & { lines: string[], dir: string }> {
  const home = dir ?? await tempDir()
  const lines: string[] = []
  const agent = await startAgent({
    host: '127.0.0.1',
    tcpPort: 0,
    wsPort: 0,
    webrtcPort: 0,
    // libdatachannel can abort the whole test process at exit when many WebRTC-direct
    // listeners ran in it, so agents listen on WebRTC only in the tests that need it.
    webrtc: false,
    mdns: false,
    keyFile: join(home, 'agent.key'),
    dataDir: join(home, 'data'),
    llm: { offlineOnly: true },
    topologyIntervalMs: 1000,
    ...options,
    log: line => { lines.push(line); options.log?.(line) }
  })
  cleanups.push(agent.stop)
  return Object.assign(agent, { lines, dir: home })
}

export interface ChatLine { from: string, text: string, topic: string, seq: bigint }

/** A plain terminal peer that records what it hears on the chat and extension topics. */
export interface TestPeer {
  node: Libp2p<{ pubsub: GossipSub, ping: Ping }>
  id: string
  chat: ChatLine[]
  extension: Array<{ from: string, message: ExtensionMessage }>
  say: (text: string) => Promise<number>
  /** Wait for a chat line matching `test`, from `from` if given. */
  waitForChat: (test: (line: ChatLine) => boolean, timeoutMs?: number) => Promise<ChatLine>
  stop: () => Promise<void>
}

export async function testPeer (options: { listen?: string[], extension?: boolean, privateKey?: PrivateKey } = {}): Promise<TestPeer> {
  const node = await createLibp2p(nodePeerOptions({
    role: 'terminal',
    listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'],
    ...(options.privateKey != null ? { privateKey: options.privateKey } : {})
  })) as unknown as Libp2p<{ pubsub: GossipSub, ping: Ping }>
  const chat: ChatLine[] = []
  const extension: TestPeer['extension'] = []
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
    const msg = event.detail
    if (msg.type !== 'signed') return
    if (msg.topic === CHAT_TOPIC) chat.push({ from: msg.from.toString(), text: new TextDecoder().decode(msg.data), topic: msg.topic, seq: msg.sequenceNumber })
    if (msg.topic === LLMESH_TOPIC) {
      const parsed = parseExtensionMessage(msg.data)
      if (parsed != null) extension.push({ from: msg.from.toString(), message: parsed })
    }
  })
  node.services.pubsub.subscribe(CHAT_TOPIC)
  if (options.extension !== false) node.services.pubsub.subscribe(LLMESH_TOPIC)
  const stop = async (): Promise<void> => { await node.stop() }
  cleanups.push(stop)
  return {
    node,
    id: node.peerId.toString(),
    chat,
    extension,
    say: async (text) => (await node.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))).recipients.length,
    waitForChat: async (test, timeoutMs = 10_000) => await waitFor(() => chat.find(test), timeoutMs, 'chat line'),
    stop
  }
}

/** Dial and wait until the agent is in our chat topic mesh or subscriber list. */
export async function joinAgent (peer: TestPeer, address: string): Promise<void> {
  const { multiaddr } = await import('@multiformats/multiaddr')
  await peer.node.dial(multiaddr(address))
  const agentId = multiaddr(address).getComponents().findLast(c => c.name === 'p2p')?.value
  await waitFor(() => peer.node.services.pubsub.getSubscribers(CHAT_TOPIC).some(p => p.toString() === agentId) || undefined, 10_000, 'agent subscription')
}

/**
 * Poll until `probe` gives a value. For the harness itself and the benchmark,
 * which use the harness outside vitest; tests use `vi.waitFor` / `expect.poll`.
 */
export async function waitFor<T> (probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

/** Wait until `agent` has identified `peer` (so it knows the peer's role). */
export async function identifiedBy (agent: { node: Libp2p<any> }, peer: TestPeer): Promise<void> {
  await waitFor(async () => (await agent.node.peerStore.get(peer.node.peerId).catch(() => undefined))?.metadata.has('AgentVersion') || undefined, 5000, 'identify')
}

export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
