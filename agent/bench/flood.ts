/**
 * The flood figures of issue 13: an agent (a child process, offline persona)
 * under 1,000 chat messages per second signed by 50 throwaway keys over one
 * connection, while an honest peer on its own connection keeps asking.
 *
 *   npx tsx agent/bench/flood.ts          (FLOOD_SECONDS, FLOOD_RATE to change)
 *
 * Prints: the honest peer's answer latency (p50, max), the agent's own chat
 * output per second, and the agent's RSS idle and at its peak. Figures, not
 * pass/fail; the targets are in docs/SECURITY.md and issue 13.
 */
import '../../mesh/compat.ts'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PrivateKey } from '@libp2p/interface'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import { outboundGossipStream } from '../../mesh/gossip-stream.ts'
import { REPO_ROOT } from '../config.ts'
import { pushMessages, signedMessage, throwawayKey } from '../test/attacker.ts'
import { joinAgent, stopAll, testPeer, waitFor } from '../test/harness.ts'

export interface FloodFigures {
  /** Messages per second the attacker pushed, and for how long. */
  floodRate: number
  floodSeconds: number
  throwawayKeys: number
  /** Times the agent closed the flooding stream and the attacker came back. */
  attackerReconnects: number
  honestAsked: number
  honestAnswered: number
  honestP50Ms: number
  honestMaxMs: number
  /** The agent's own chat messages per second during the flood. */
  agentChatPerSecond: number
  rssIdleMb: number
  rssPeakMb: number
}

export interface FloodOptions { rate?: number, seconds?: number, keys?: number }

export async function runFlood ({ rate = 1000, seconds = 10, keys = 50 }: FloodOptions = {}): Promise<FloodFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'llmesh-flood-'))
  const agent = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'agent/main.ts'),
    '--key-file', join(dir, 'agent.key'), '--tcp-port', '0', '--ws-port', '0', '--no-webrtc', '--no-mdns', '--offline'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  agent.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  agent.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise(resolve => agent.on('exit', resolve))
  try {
    const tcp = await waitFor(() => /^tcp\s+(\S+)/m.exec(output)?.[1], 60_000, 'the agent banner')
    const agentId = tcp.split('/p2p/')[1]!
    // The honest peer hears reply chunks, whose inReplyTo names the question they answer.
    const honest = await testPeer()
    const attacker = await testPeer({ extension: false })
    await joinAgent(honest, tcp)
    await joinAgent(attacker, tcp)
    await waitFor(() => honest.chat.find(l => l.from === agentId && l.text.startsWith('🛸 Welcome')), 10_000, 'the greeting')
    // An attacker keeps no outbound buffer limit of its own: everything it pushes waits for the agent to read it.
    const unlimited = (): void => {
      const stream = outboundGossipStream(attacker.node, agentId)
      if (stream != null) stream.maxWriteBufferLength = Infinity
    }
    unlimited()
    await new Promise(resolve => setTimeout(resolve, 1000))
    const rssIdleMb = await rssMb(agent.pid!)

    // Sign the whole flood first, so signing does not slow the pushing.
    const total = rate * seconds
    const authors: PrivateKey[] = await Promise.all(Array.from({ length: keys }, throwawayKey))
    const base = BigInt(Date.now()) * 1_000_000n
    const flood = await Promise.all(Array.from({ length: total }, async (_, i) =>
      await signedMessage(authors[i % keys]!, CHAT_TOPIC, `Alien X, what is gossipsub? (${i})`, base + BigInt(i))))

    let rssPeakMb = rssIdleMb
    const sampler = setInterval(() => { void rssMb(agent.pid!).then(mb => { rssPeakMb = Math.max(rssPeakMb, mb) }, () => {}) }, 200)
    const agentLinesBefore = honest.chat.filter(l => l.from === agentId).length
    const latencies: number[] = []
    const asked: Array<Promise<void>> = []
    const started = Date.now()
    const batch = Math.max(1, Math.round(rate / 20))
    let sent = 0
    let question = 0
    let reconnects = 0
    while (sent < total) {
      const due = Math.min(total, Math.round(((Date.now() - started) / 1000) * rate))
      if (due > sent) {
        const next = Math.min(due, sent + batch * 4)
        try {
          pushMessages(attacker.node.services.pubsub, agentId, flood.slice(sent, next))
        } catch {
          // The agent closed the flooding stream (its read buffer overflowed): a real attacker reconnects.
          reconnects++
          await attacker.node.hangUp(attacker.node.getConnections().find(c => c.remotePeer.toString() === agentId)?.remotePeer ?? attacker.node.peerId).catch(() => {})
          await joinAgent(attacker, tcp).catch(() => {})
          await waitFor(() => outboundGossipStream(attacker.node, agentId), 10_000, 'the attacker stream').catch(() => {})
          unlimited()
        }
        sent = next
      }
      // The honest peer asks every 2.5 s, within its own rate limit.
      if (Date.now() - started >= question * 2500 + 500) {
        const nth = question++
        const at = Date.now()
        await honest.say(`Alien X, are you there? (honest ${nth})`)
        asked.push(waitFor(() => answersTo(honest.extension, honest.id).length > nth || undefined, 15_000, 'an answer')
          .then(() => { latencies.push(Date.now() - at) }, () => {}))
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    const floodSeconds = (Date.now() - started) / 1000
    await Promise.all(asked)
    clearInterval(sampler)
    const agentLines = honest.chat.filter(l => l.from === agentId).length - agentLinesBefore
    if (process.env.FLOOD_DEBUG === '1') console.error(output.split('\n').slice(-40).join('\n'))
    latencies.sort((a, b) => a - b)
    return {
      floodRate: Math.round(total / floodSeconds),
      floodSeconds: Math.round(floodSeconds * 10) / 10,
      throwawayKeys: keys,
      attackerReconnects: reconnects,
      honestAsked: question,
      honestAnswered: latencies.length,
      honestP50Ms: latencies.length > 0 ? latencies[Math.floor((latencies.length - 1) / 2)]! : NaN,
      honestMaxMs: latencies.at(-1) ?? NaN,
      agentChatPerSecond: Math.round((agentLines / floodSeconds) * 10) / 10,
      rssIdleMb,
      rssPeakMb
    }
  } finally {
    await stopAll()
    agent.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
}

/** The distinct replies the agent started for `peer`'s questions, in order. */
function answersTo (extension: Array<{ message: { type: string, replyId?: string, inReplyTo?: { from: string } } }>, peer: string): string[] {
  const ids: string[] = []
  for (const { message } of extension) {
    if (message.type === 'reply' && message.inReplyTo?.from === peer && message.replyId != null && !ids.includes(message.replyId)) ids.push(message.replyId)
  }
  return ids
}

async function rssMb (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN)
  return Math.round(kb / 1024)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await runFlood({ rate: Number(process.env.FLOOD_RATE ?? 1000), seconds: Number(process.env.FLOOD_SECONDS ?? 10) })
  console.log(`flood: ${figures.floodRate} msg/s for ${figures.floodSeconds} s from ${figures.throwawayKeys} throwaway keys over one connection (the agent closed it ${figures.attackerReconnects} times; the attacker came back)`)
  console.log(`honest peer: ${figures.honestAnswered}/${figures.honestAsked} answered, p50 ${figures.honestP50Ms} ms, max ${figures.honestMaxMs} ms`)
  console.log(`agent chat output: ${figures.agentChatPerSecond} msg/s`)
  console.log(`agent RSS: ${figures.rssIdleMb} MB idle, ${figures.rssPeakMb} MB peak (+${figures.rssPeakMb - figures.rssIdleMb} MB)`)
  process.exit(0)
}
