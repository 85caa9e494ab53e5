/**
 * `npm run bench`: LLMesh beside plain js-libp2p, measured in the same run on the
 * same machine, for the six figures of issue 12 (README, "Performance"). Figures,
 * not pass/fail. Prints a table and writes the same figures as JSON to
 * agent/bench/results/<time>.json and results/latest.json.
 *
 *   BENCH_QUICK=1 npm run bench     a smoke run: 10 peers, few samples (~1 min)
 *   BENCH_ONLY=scale,load,ttft,browser,learner   run only these parts
 *   BENCH_SIZES=10,50,100,200       the star sizes of figures 1 and 6
 *
 * A full run (none of these set) also rewrites README.md's performance table, the
 * block between <!-- bench --> and <!-- /bench -->.
 */
import '../../mesh/compat.ts'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Star } from './star.ts'
import { PAST_LIMIT_DEGREE } from './hubs.ts'
import type { HubKind } from './hubs.ts'
import type { PeerFlavour } from './star-peers.ts'
import type { LoadResult, ScaleResult } from './star.ts'
import { measureFirstToken } from './first-token.ts'
import type { FirstTokenResult } from './first-token.ts'
import { measureBrowser } from './browser.ts'
import type { BrowserResult } from './browser.ts'
import { measureLearner } from './learner.ts'
import type { LearnerResult } from './learner.ts'
import { readmeBlock, renderTable, replaceReadmeBlock, scalingPlot } from './report.ts'
import { REPO_ROOT } from '../config.ts'
import { compiledHubProcess } from './compiled.ts'
import { measureLimits } from './limits.ts'
import type { Limits } from './limits.ts'

const QUICK = process.env.BENCH_QUICK === '1'
const ONLY = new Set((process.env.BENCH_ONLY ?? 'scale,load,ttft,browser,learner').split(','))
const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '10' : '10,50,100')).split(',').map(Number)
/** Peer processes: enough to spread the peers over both cores, few enough to leave the hub one. */
const WORKERS = 3

export interface BenchResults {
  at: string
  quick: boolean
  /** `cpuPressure`: Linux's share of time something waited for a CPU (/proc/pressure/cpu, avg60): how shared the machine was. */
  machine: { node: string, cpus: string, cores: number, memoryGB: number, loadBefore: number[], loadAfter?: number[], cpuPressureBefore?: number, cpuPressureAfter?: number }
  scale: ScaleResult[]
  load: LoadResult[]
  firstToken?: FirstTokenResult
  browser?: BrowserResult
  learner?: LearnerResult
  limits?: Limits
  /** Figures that could not be measured, and why. */
  errors: Record<string, string>
  durationS?: number
}

/** Run one figure; a failure is written down, and the other figures still run. */
async function figure (results: BenchResults, name: string, measure: () => Promise<void>): Promise<void> {
  if (!ONLY.has(name)) return
  try {
    await measure()
    await save(results)
  } catch (err) {
    results.errors[name] = (err as Error).message.split('\n')[0]!
    console.error(`  ${name}: could not measure: ${results.errors[name]}`)
  }
}

/** Every figure at its full size: the only kind of run that writes latest.json and the README. */
function isFullRun (): boolean {
  return !QUICK && process.env.BENCH_ONLY == null && process.env.BENCH_SIZES == null
}

/** Write the figures so far: after every figure, so a run cut short still leaves them. */
async function save (results: BenchResults, finished = false): Promise<void> {
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  await mkdir(dir, { recursive: true })
  const json = JSON.stringify({ ...results, ...(finished ? {} : { partial: true }) }, null, 2) + '\n'
  await writeFile(join(dir, `${results.at.replace(/[:.]/g, '-')}.json`), json)
  if (isFullRun() && finished) await writeFile(join(dir, 'latest.json'), json)
}

async function cpuPressure (): Promise<number | undefined> {
  try {
    return Number(/some avg10=[\d.]+ avg60=([\d.]+)/.exec(await readFile('/proc/pressure/cpu', 'utf8'))?.[1])
  } catch {
    return undefined
  }
}

async function main (): Promise<void> {
  const started = performance.now()
  const results: BenchResults = {
    at: new Date().toISOString(),
    quick: QUICK,
    machine: { node: process.version, cpus: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 1024 ** 3), loadBefore: loadavg().map(l => Math.round(l * 100) / 100) },
    scale: [],
    load: [],
    errors: {}
  }
  results.machine.cpuPressureBefore = await cpuPressure()
  console.log(`LLMesh benchmark${QUICK ? ' (quick)' : ''} — node ${process.version}, ${results.machine.cores} × ${results.machine.cpus}, load ${results.machine.loadBefore.join(' ')}, CPU pressure ${results.machine.cpuPressureBefore ?? '?'} %\n`)

  if (ONLY.has('scale') || ONLY.has('load')) {
    const star = await Star.start(WORKERS)
    try {
      if (ONLY.has('scale')) {
        const messages = QUICK ? 20 : 30
        for (const peers of SIZES) {
          const largest = peers === Math.max(...SIZES)
          const hubs: Array<[HubKind, PeerFlavour, boolean?]> = [['agent', 'llmesh'], ['plain', 'plain'], ['plain-tuned', 'plain']]
          if (peers > PAST_LIMIT_DEGREE) hubs.push(['past-limit', 'plain'])
          // The agent's memory without tsx, as a compiled agent would run.
          if (largest && !QUICK) hubs.push(['agent', 'llmesh', true])
          for (const [hub, flavour, compiled] of hubs) {
            const join = await star.open(hub, flavour, peers, 3, compiled === true ? await compiledHubProcess() : undefined)
            // A classroom chatting briskly: a message every 50 ms, each from the next peer.
            // Up to 6 s for the last receipts: late (lazy gossip, a starved process) is told apart from lost.
            const result = { ...await star.chat(hub, peers, messages, 50, QUICK ? 4000 : 6000, join), ...(compiled === true ? { compiled } : {}) }
            await star.close()
            results.scale.push(result)
            await save(results)
            console.log(`  star ${String(peers).padStart(3)} peers, ${(hub + (compiled === true ? ' (js)' : '')).padEnd(11)}: ${(result.delivered * 100).toFixed(1)} % delivered, all-delivered p50 ${result.allDeliveredMs.p50.toFixed(0)} / p99 ${result.allDeliveredMs.p99.toFixed(0)} ms (${result.allDelivered}/${messages}), hub ${result.hubRssMB.toFixed(0)} MB, mesh ${result.meshPeers}`)
          }
        }
      }
      if (ONLY.has('load')) {
        const peers = QUICK ? 10 : 20
        const rate = QUICK ? 10 : 50
        const seconds = QUICK ? 3 : 10
        for (const [hub, flavour] of [['agent', 'llmesh'], ['plain-tuned', 'plain']] as const) {
          await star.open(hub, flavour, peers, 1e9)
          const result = await star.load(hub, peers, rate, seconds, QUICK ? 2 : 4, 5000)
          await star.close()
          results.load.push(result)
          await save(results)
          console.log(`  load ${peers} × ${rate}/s × ${seconds} s, ${hub.padEnd(11)}: ${(result.delivered * 100).toFixed(1)} % delivered, round trip p99 idle ${result.idleRoundTripMs.p99.toFixed(0)} / load ${result.loadRoundTripMs.p99.toFixed(0)} ms, hub CPU ${result.hubCpuPct.toFixed(0)} %, peers' CPU ${result.workersCpuPct.toFixed(0)} %`)
        }
      }
    } finally {
      await star.stop()
    }
  }

  await figure(results, 'ttft', async () => {
    const f = results.firstToken = await measureFirstToken(QUICK ? 10 : 40)
    console.log(`  first token: mesh p50 ${f.mesh.p50.toFixed(1)} ms, direct p50 ${f.direct.p50.toFixed(1)} ms`)
  })
  await figure(results, 'browser', async () => {
    const b = results.browser = await measureBrowser(QUICK ? 1 : 4, QUICK ? 3 : 15)
    console.log(`  browser: synced p50 webrtc ${b.syncedWebrtcMs.p50.toFixed(0)} ms, ws ${b.syncedWsMs.p50.toFixed(0)} ms, round trip p50 ${b.roundTripMs.p50.toFixed(0)} ms`)
  })
  await figure(results, 'learner', async () => {
    const l = results.learner = await measureLearner(QUICK ? 1 : 2)
    console.log(`  learner: ${l.checks.map(c => `${c.lesson}/${c.target} ${(c.wallMs / 1000).toFixed(1)} s`).join(', ')}`)
  })

  results.limits = await measureLimits()
  results.machine.loadAfter = loadavg().map(l => Math.round(l * 100) / 100)
  results.machine.cpuPressureAfter = await cpuPressure()
  results.durationS = Math.round((performance.now() - started) / 1000)

  console.log('\n' + renderTable(results))
  if (results.scale.length > 0) console.log('\n' + scalingPlot(results))

  await save(results, true)
  // A full run keeps the README's performance table current (the block between the bench markers).
  if (isFullRun()) {
    const readmePath = join(REPO_ROOT, 'README.md')
    const updated = replaceReadmeBlock(await readFile(readmePath, 'utf8'), readmeBlock(results))
    if (updated != null) await writeFile(readmePath, updated)
    console.log(updated != null ? '\nREADME.md: the performance table is updated.' : '\nREADME.md has no <!-- bench --> block; not updated.')
  }
  console.log(`\n${results.durationS} s; figures in agent/bench/results/${isFullRun() ? 'latest.json and ' : ''}${results.at.replace(/[:.]/g, '-')}.json`)
}

main().then(() => process.exit(0), err => { console.error(err); process.exit(1) })
