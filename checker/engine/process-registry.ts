/**
 * Every learner process group the checker started, so that none outlives it:
 * not when a check ends, not on Ctrl-C, not when the checker itself crashes.
 * Temporary folders made for a check are removed on those exits too.
 */
import { rmSync } from 'node:fs'

const liveGroups = new Set<number>()
const tempDirs = new Set<string>()
let hooksInstalled = false

export function trackGroup (pid: number): void {
  installHooks()
  liveGroups.add(pid)
}

export function untrackGroup (pid: number): void {
  liveGroups.delete(pid)
}

/** SIGKILL a whole process group (tsx, node and anything they spawned). */
export function killGroup (pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch (err) {
    // ESRCH: the group is already gone, which is what we wanted.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

export function killAllGroups (): void {
  for (const pid of liveGroups) killGroup(pid)
  liveGroups.clear()
}

/** Remove `dir` if the checker exits before the check disposes of it; call the result once it has. */
export function removeOnExit (dir: string): () => void {
  installHooks()
  tempDirs.add(dir)
  return () => { tempDirs.delete(dir) }
}

function removeTempDirs (): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

function installHooks (): void {
  if (hooksInstalled) return
  hooksInstalled = true
  // 'exit' handlers must be synchronous: process.kill is.
  process.on('exit', () => {
    killAllGroups()
    removeTempDirs()
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups()
      removeTempDirs()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
}
