/**
 * Figure 5: the learner's loop. `npm run check` wall time for every reference
 * solution and every starter, broken down from the checker's own JSON (each
 * step's duration; "start" is spawning the program: tsx compiling it and Node
 * starting it), and the agent's process start → banner beside a plain
 * js-libp2p node started the same way.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../config.ts'
import { lessons } from '../../checker/lessons.ts'
import { median, summarize } from './stats.ts'
import type { Summary } from './stats.ts'

export interface CheckRun {
  lesson: number
  target: 'solution' | 'starter'
  passed: boolean
  wallMs: number
  /** `npm run` and the checker's own start, before its first step. */
  overheadMs: number
  steps: Array<{ id: string, ms: number }>
}

export interface LearnerResult {
  checks: CheckRun[]
  /** `node --import tsx` on an empty file: the floor every check and every start pays. */
  tsxFloorMs: number
  agentBannerMs: Summary
  baselineReadyMs: Summary
}

function run (command: string, args: string[], readyLine?: RegExp): Promise<{ ms: number, stdout: string, code: number | null }> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', LLMESH_OFFLINE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise(resolve => {
    let stdout = ''
    let readyAt: number | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (readyLine != null && readyAt == null && readyLine.test(stdout)) {
        readyAt = performance.now() - started
        child.kill('SIGTERM')
      }
    })
    child.stderr.resume()
    child.once('exit', code => { resolve({ ms: readyAt ?? performance.now() - started, stdout, code }) })
  })
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

async function check (lesson: number, target: 'solution' | 'starter'): Promise<CheckRun> {
  const dirName = lessons[lesson - 1]!.id
  const args = target === 'solution'
    ? ['run', '--silent', 'check', '--', '--solution', String(lesson), '--json']
    : ['run', '--silent', 'check', '--', '--file', join('lessons', dirName, 'node.ts'), String(lesson), '--json']
  const { ms, stdout } = await run(npm, args)
  let report: { passed?: boolean, durationMs?: number, steps?: Array<{ id: string, durationMs: number }> } = {}
  try { report = JSON.parse(stdout.slice(stdout.indexOf('{'))) } catch {}
  return {
    lesson,
    target,
    passed: report.passed === true,
    wallMs: ms,
    overheadMs: ms - (report.durationMs ?? 0),
    steps: (report.steps ?? []).map(s => ({ id: s.id, ms: s.durationMs }))
  }
}

export async function measureLearner (runs: number): Promise<LearnerResult> {
  const checks: CheckRun[] = []
  for (let lesson = 1; lesson <= lessons.length; lesson++) {
    for (const target of ['solution', 'starter'] as const) checks.push(await check(lesson, target))
  }
  const floor: number[] = []
  for (let i = 0; i < runs; i++) floor.push((await run(process.execPath, ['--import', 'tsx', '--eval', ''])).ms)

  const dir = await mkdtemp(join(tmpdir(), 'llmesh-bench-start-'))
  const agent: number[] = []
  const baseline: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      agent.push((await run(process.execPath, ['--import', 'tsx', 'agent/main.ts', '--key-file', join(dir, `k${i}.key`), '--tcp-port', '0', '--ws-port', '0', '--webrtc-port', '0', '--no-mdns'], /paste in the browser:/)).ms)
      baseline.push((await run(process.execPath, ['--import', 'tsx', 'agent/bench/baseline-node.ts'], /^ready$/m)).ms)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return { checks, tsxFloorMs: median(floor), agentBannerMs: summarize(agent), baselineReadyMs: summarize(baseline) }
}
