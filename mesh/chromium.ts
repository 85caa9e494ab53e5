/**
 * Finding a Chromium for playwright-core to drive (the browser tests, the
 * workshop's browser checks, the benchmark), the way people already have one.
 * Nothing here downloads a browser; on a Debian machine where we are root,
 * `ensureChromium` installs Debian's own `chromium` package, and says so.
 * Node-only.
 */
import { execFileSync } from 'node:child_process'
import { accessSync, constants, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where to look, in order: the user's choice, the system's browsers, Playwright's own downloads. */
export function chromiumCandidates (env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string[] {
  const chosen = env.CHROMIUM_PATH != null && env.CHROMIUM_PATH !== '' ? [env.CHROMIUM_PATH] : []
  const system = platform === 'darwin'
    ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome']
  const cache = env.PLAYWRIGHT_BROWSERS_PATH ?? (platform === 'darwin' ? join(home, 'Library/Caches/ms-playwright') : join(home, '.cache/ms-playwright'))
  const playwright = listDir(cache)
    .filter(name => /^chromium-\d+$/.test(name))
    .sort().reverse()
    .flatMap(name => platform === 'darwin'
      ? [join(cache, name, 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'), join(cache, name, 'chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium')]
      : [join(cache, name, 'chrome-linux64/chrome'), join(cache, name, 'chrome-linux/chrome')])
  return [...chosen, ...system, ...playwright]
}

/** The first Chromium that exists and can be run, or undefined. */
export function findChromium (candidates = chromiumCandidates()): string | undefined {
  return candidates.find(isExecutable)
}

/** The command that gets this machine a browser, for a one-line error. */
export function installAdvice (platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'install Chromium or Google Chrome (e.g. `brew install --cask chromium`), or set CHROMIUM_PATH to a Chromium-based browser'
  return '`sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium-based browser'
}

/**
 * A Chromium to use: found, or installed from Debian's packages when this is a
 * Debian-like machine and we are root. Throws one sentence naming the command
 * otherwise.
 */
export function ensureChromium (log: (line: string) => void = console.log): string {
  const found = findChromium()
  if (found != null) return found
  const root = process.getuid?.() === 0
  if (process.platform === 'linux' && root && isExecutable('/usr/bin/apt-get')) {
    log('No Chromium found: installing Debian\'s chromium package with apt-get (once; the browser tests need it)…')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
    } catch (err) {
      throw new Error(`installing chromium with apt-get failed (${(err as Error).message}); install it yourself: ${installAdvice()}`)
    }
    const installed = findChromium()
    if (installed != null) return installed
  }
  throw new Error(`No Chromium-based browser found (looked at ${chromiumCandidates().slice(0, 3).join(', ')}, … and Playwright's cache): ${installAdvice()}.`)
}

function isExecutable (path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function listDir (dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
