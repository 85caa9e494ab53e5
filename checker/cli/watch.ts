/**
 * `npm run check -- --watch`: check, then check again each time the learner
 * saves a file in the lesson folder. A save during a check cancels it (its
 * process group is killed) and starts a fresh one.
 *
 * Native file events do not cross into WSL from Windows drives or through some
 * mounted/network folders, so chokidar polls there: with --poll, when
 * CHOKIDAR_USEPOLLING is set, or when WSL is detected.
 */
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import chokidar from 'chokidar'
import pc from 'picocolors'
import { checkTarget } from '../check-session.ts'
import type { CheckTarget } from '../check-session.ts'
import { displayPath } from '../paths.ts'

const DEBOUNCE_MS = 150

export interface WatchOptions {
  poll: boolean
}

export async function watchAndCheck (target: CheckTarget, options: WatchOptions): Promise<void> {
  const folder = dirname(target.file)
  const usePolling = options.poll || pollingWanted()
  const watcher = chokidar.watch(folder, {
    ignoreInitial: true,
    usePolling,
    interval: 300,
    // Only source files: editors also write swap and backup files next to them.
    ignored: (path, stats) => stats?.isFile() === true && !/\.(ts|js|mjs|json)$/.test(path)
  })

  let running: { controller: AbortController, done: Promise<unknown> } | undefined
  let debounce: NodeJS.Timeout | undefined

  const checkNow = async (): Promise<void> => {
    if (running != null) {
      running.controller.abort()
      await running.done
    }
    process.stdout.write('\x1Bc') // clear the screen: one transcript at a time
    const controller = new AbortController()
    const done = checkTarget(target, { json: false, signal: controller.signal }).catch((err: Error) => {
      process.stdout.write(`${pc.red('✗')} the checker failed: ${err.message}\n`)
    })
    running = { controller, done }
    await done
    if (!controller.signal.aborted) {
      process.stdout.write(pc.dim(`\nwatching ${displayPath(folder)}${usePolling ? ' (polling)' : ''} · save to check again · Ctrl-C to stop\n`))
    }
  }

  watcher.on('all', (_event, path) => {
    if (!/\.(ts|js|mjs|json)$/.test(path)) return
    clearTimeout(debounce)
    debounce = setTimeout(() => { void checkNow() }, DEBOUNCE_MS)
  })
  await new Promise<void>((resolve) => watcher.once('ready', () => { resolve() }))
  await checkNow()
  // Runs until Ctrl-C; the process-group registry kills any running check on the way out.
  await new Promise<never>(() => {})
}

/** CHOKIDAR_USEPOLLING (as chokidar 3 read it), or WSL, where Windows-side saves send no events. */
export function pollingWanted (env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env.CHOKIDAR_USEPOLLING
  if (flag != null && flag !== '') return !/^(0|false|no)$/i.test(flag)
  if (env.WSL_DISTRO_NAME != null) return true
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8'))
  } catch {
    return false
  }
}
