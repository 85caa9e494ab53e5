/**
 * Every learner process group the checker started, so that none outlives it:
 * not when a check ends, not on Ctrl-C, not when the checker itself crashes.
 */
const liveGroups = new Set<number>()
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

function installHooks (): void {
  if (hooksInstalled) return
  hooksInstalled = true
  // 'exit' handlers must be synchronous: process.kill is.
  process.on('exit', killAllGroups)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
}
