/**
 * `npm run bench`: LLMesh's agent beside a plain js-libp2p baseline, measured in
 * the same run on the same machine. Figures, not pass/fail: the targets are in
 * the README (banner within 2 s of `npm run agent`).
 */
import '../../mesh/compat.ts'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { REPO_ROOT } from '../config.ts'
import { startAgent } from '../agent.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200)

const rows: Array<[string, string, string]> = []
const record = (what: string, llmesh: string, baseline: string): void => {
  rows.push([what, llmesh, baseline])
  console.log(`  ${what}: llmesh ${llmesh} | baseline ${baseline}`)
}

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))] ?? NaN
}
const ms = (n: number): string => `${n.toFixed(1)} ms`
const median = (values: number[]): number => percentile(values, 50)

/** Time from spawning a command to the line that says it is ready. */
async function timeToReady (args: string[], readyLine: RegExp): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', LLMESH_OFFLINE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] })
  return await new Promise<number>((resolve, reject) => {
    let output = ''
    let elapsed: number | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (elapsed == null && readyLine.test(output)) {
        elapsed = performance.now() - started
        child.kill('SIGTERM')
      }
    })
    child.once('exit', code => {
      if (elapsed != null) resolve(elapsed)
      else reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${output}`))
    })
  })
}

async function plainPeer (): Promise<Libp2p<{ pubsub: ReturnType<ReturnType<typeof gossipsub>> }>> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: gossipsub({ allowPublishToZeroTopicPeers: true }) }
  }) as any
}

/** Dial latency, then one-hop gossip latency, from a fresh peer to `target`. */
async function measureLinks (target: Libp2p<any>, makePeer: () => Promise<Libp2p<any>>): Promise<{ dial: number[], gossip: number[] }> {
  const dial: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const peer = await makePeer()
    const started = performance.now()
    await peer.dial(target.getMultiaddrs().find(a => !a.toString().includes('/ws') && !a.toString().includes('webrtc'))!)
    dial.push(performance.now() - started)
    await peer.stop()
    // A plain node refuses a host's 6th inbound connection within a second; stay under it.
    await new Promise(resolve => setTimeout(resolve, 250))
  }

  const sender = await makePeer()
  const sentAt = new Map<string, number>()
  const gossip: number[] = []
  const done = Promise.withResolvers<void>()
  target.services.pubsub.addEventListener('message', (event: CustomEvent<{ topic: string, data: Uint8Array }>) => {
    const key = new TextDecoder().decode(event.detail.data)
    const start = sentAt.get(key)
    if (event.detail.topic !== CHAT_TOPIC || start == null) return
    gossip.push(performance.now() - start)
    if (gossip.length === MESSAGES) done.resolve()
  })
  target.services.pubsub.subscribe(CHAT_TOPIC)
  sender.services.pubsub.subscribe(CHAT_TOPIC)
  await sender.dial(multiaddr(target.getMultiaddrs()[0]!.toString()))
  while (!sender.services.pubsub.getSubscribers(CHAT_TOPIC).some((p: { equals: (o: unknown) => boolean }) => p.equals(target.peerId))) await new Promise(resolve => setTimeout(resolve, 20))
  await new Promise(resolve => setTimeout(resolve, 1200))
  for (let i = 0; i < MESSAGES; i++) {
    const key = `bench ${i} ${Math.random()}`
    sentAt.set(key, performance.now())
    await sender.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(key))
    await new Promise(resolve => setTimeout(resolve, 2))
  }
  await Promise.race([done.promise, new Promise(resolve => setTimeout(resolve, 10_000))])
  await sender.stop()
  return { dial, gossip }
}

/** Gzipped size of the production build's JavaScript (built first if needed). */
async function bundleGzipBytes (): Promise<number> {
  const { ensureVisualizerBuilt, DEFAULT_DIST_DIR } = await import('../web-server.ts')
  await ensureVisualizerBuilt({ log: () => {} })
  const assets = join(DEFAULT_DIST_DIR, 'assets')
  let total = 0
  for (const file of await readdir(assets)) {
    if (file.endsWith('.js')) total += gzipSync(await readFile(join(assets, file))).byteLength
  }
  return total
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'llmesh-bench-'))
  try {
    console.log(`LLMesh benchmark — node ${process.version}, ${RUNS} runs, ${MESSAGES} gossip messages\n`)

    const agentCli: number[] = []
    const baselineCli: number[] = []
    for (let i = 0; i < RUNS; i++) {
      agentCli.push(await timeToReady(['agent/main.ts', '--key-file', join(dir, `cli-${i}.key`), '--tcp-port', '0', '--ws-port', '0', '--webrtc-port', '0', '--no-mdns'], /paste in the browser:/))
      baselineCli.push(await timeToReady(['agent/bench/baseline-node.ts'], /^ready$/m))
    }
    record('process start → addresses printed (p50)', ms(median(agentCli)), ms(median(baselineCli)))

    const agentStarts: number[] = []
    const baselineStarts: number[] = []
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now()
      const agent = await startAgent({ host: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcPort: 0, mdns: false, keyFile: join(dir, `a-${i}.key`), llm: { offlineOnly: true } })
      agentStarts.push(performance.now() - started)
      await agent.stop()
      started = performance.now()
      const plain = await plainPeer()
      baselineStarts.push(performance.now() - started)
      await plain.stop()
    }
    record('node start in process (p50)', ms(median(agentStarts)), ms(median(baselineStarts)))

    const agent = await startAgent({ host: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcPort: 0, mdns: false, keyFile: join(dir, 'agent.key'), llm: { offlineOnly: true }, rateBurst: 1e9 })
    const meshPeer = async (): Promise<Libp2p<any>> => await createLibp2p(nodePeerOptions({ role: 'terminal' }))
    const ours = await measureLinks(agent.node, meshPeer)
    await agent.stop()
    const baselineTarget = await plainPeer()
    const theirs = await measureLinks(baselineTarget, plainPeer)
    await baselineTarget.stop()
    record('TCP dial + noise + yamux (p50)', ms(median(ours.dial)), ms(median(theirs.dial)))
    record(`gossip one hop, ${MESSAGES} msgs (p50)`, ms(percentile(ours.gossip, 50)), ms(percentile(theirs.gossip, 50)))
    record(`gossip one hop, ${MESSAGES} msgs (p99)`, ms(percentile(ours.gossip, 99)), ms(percentile(theirs.gossip, 99)))
    record('gossip delivered', `${ours.gossip.length}/${MESSAGES}`, `${theirs.gossip.length}/${MESSAGES}`)

    record('chat app bundle, JS gzipped (target ≤ 250 kB)', `${(await bundleGzipBytes() / 1024).toFixed(1)} kB`, 'n/a')

    console.log('\n| measure | LLMesh | plain js-libp2p |\n|---|---|---|')
    for (const [what, a, b] of rows) console.log(`| ${what} | ${a} | ${b} |`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), err => { console.error(err); process.exit(1) })
