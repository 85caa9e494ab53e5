/**
 * Shared by the checker's tests: run a check in-process and prove that nothing
 * it started is still alive afterwards.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../engine/check-run.ts'
import type { CheckResult } from '../engine/check-result.ts'
import type { LessonMeta } from '../lesson-types.ts'
import { findLesson } from '../lesson-lookup.ts'

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export function fixture (name: string): string {
  return join(fixturesDir, name)
}

export function lesson (query: string): LessonMeta {
  const found = findLesson(query)
  if (found == null) throw new Error(`no lesson ${query}`)
  return found
}

export interface CheckedProgram {
  result: CheckResult
  /** The learner program's process group id (= its pid); -1 when it never started. */
  pid: number
  /** Every copy of the program the check started (the main one and its companions). */
  pids: number[]
  elapsedMs: number
}

export async function checkProgram (meta: LessonMeta, programFile: string): Promise<CheckedProgram> {
  const pids: number[] = []
  const started = performance.now()
  const result = await runCheck({ lesson: meta, programFile, onProgram: (program) => { pids.push(program.pid) } })
  return { result, pid: pids[0] ?? -1, pids, elapsedMs: performance.now() - started }
}

/** Nothing left of any copy of the program a check started. */
export function nothingLeftBehind (checked: CheckedProgram, marker?: string): { group: number[], processes: number[] } {
  const all = checked.pids.map(pid => leftBehind(pid, marker))
  return { group: all.flatMap(left => left.group), processes: [...new Set(all.flatMap(left => left.processes))] }
}

interface ProcessInfo {
  pid: number
  pgid: number
  state: string
  cmdline: string
}

/** Every process on the machine, from Linux's /proc; undefined where there is no /proc. */
function allProcesses (): ProcessInfo[] | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return undefined
  }
  const found: ProcessInfo[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const [state = '', , pgid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')
      found.push({ pid: Number(entry), pgid: Number(pgid), state, cmdline })
    } catch {
      // The process ended while we looked: that is fine.
    }
  }
  return found
}

/** Live processes whose command line names `marker` (empty where there is no /proc). */
export function processesMentioning (marker: string): number[] {
  return (allProcesses() ?? [])
    .filter(p => p.state !== 'Z' && p.pid !== process.pid && p.cmdline.includes(marker))
    .map(p => p.pid)
}

/**
 * Live processes (not zombies: a killed grandchild such as tsx's esbuild service
 * stays a zombie until init reaps it, which some containers never do) that are
 * still in the program's process group, or whose command line names `marker`.
 * Test files run in parallel and share fixtures, so a marker must be unique to
 * the test (a fixture's path is not).
 */
export function leftBehind (pid: number, marker?: string): { group: number[], processes: number[] } {
  const processes = allProcesses()
  if (processes == null) {
    // No /proc (macOS): fall back to asking the kernel about the group.
    let alive = false
    try { process.kill(-pid, 0); alive = true } catch {}
    return { group: alive ? [pid] : [], processes: [] }
  }
  const live = processes.filter(p => p.state !== 'Z' && p.pid !== process.pid)
  return {
    group: live.filter(p => p.pgid === pid).map(p => p.pid),
    processes: marker == null ? [] : live.filter(p => p.cmdline.includes(marker)).map(p => p.pid)
  }
}

export async function withEnv<T> (vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map(key => [key, process.env[key]]))
  Object.assign(process.env, vars)
  try {
    return await body()
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value == null) Reflect.deleteProperty(process.env, key)
      else process.env[key] = value
    }
  }
}

/** A `sleep` duration no other test uses at the same time, to find that process by its command line. */
export function uniqueSeconds (): string {
  return String(10_000 + Math.floor(Math.random() * 80_000))
}

/** The process group of a live process, from /proc. */
export function processGroupOf (pid: number): number | undefined {
  return allProcesses()?.find(p => p.pid === pid)?.pgid
}
