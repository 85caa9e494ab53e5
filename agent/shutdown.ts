/**
 * How the agent's process ends: stop everything, then exit 0; a stop that fails
 * or does not finish in time exits 1, so a stuck transport neither keeps the
 * process alive forever nor passes for a clean stop.
 */
export interface ShutdownOptions {
  stop: () => Promise<unknown>
  deadlineMs: number
  exit: (code: number) => void
  /** One line for the person at the terminal. */
  report: (line: string) => void
}

export function stopWithin ({ stop, deadlineMs, exit, report }: ShutdownOptions): void {
  let done = false
  const end = (code: number): void => {
    if (done) return
    done = true
    clearTimeout(watchdog)
    exit(code)
  }
  const watchdog = setTimeout(() => {
    report(`did not stop within ${deadlineMs / 1000} s; exiting anyway`)
    end(1)
  }, deadlineMs)
  // The watchdog alone must not keep an otherwise finished process alive.
  watchdog.unref()
  stop().then(() => { end(0) }, (err: unknown) => {
    report(`could not stop cleanly: ${err instanceof Error ? err.message : String(err)}`)
    end(1)
  })
}
