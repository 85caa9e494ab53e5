/**
 * `npm start`: the agent serves the chat app over HTTP, with the agent's address
 * prefilled in the URL it prints. Builds the app first when the build is missing
 * or older than its sources.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sirv from 'sirv'
import { lessonRoutes } from '../visualizer/server/lesson-routes.ts'
import { REPO_ROOT } from './config.ts'

const VISUALIZER = join(REPO_ROOT, 'visualizer')
export const DEFAULT_DIST_DIR = join(VISUALIZER, 'dist')

export interface WebServerOptions {
  host: string
  port: number
  distDir?: string
  /** The address the app dials first (the agent's `browserAddress`). */
  agentAddress: string
  /**
   * Every address a browser may dial (WebRTC-direct and WebSocket). The app
   * prefers WebRTC-direct and re-reads this list before each reconnect.
   */
  agentAddresses?: string[]
}

export interface RunningWebServer {
  /** Open this: the chat, already pointed at the agent. */
  url: string
  close: () => Promise<void>
}

export async function startWebServer (options: WebServerOptions): Promise<RunningWebServer> {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR
  const agentJson = JSON.stringify({ address: options.agentAddress, addresses: options.agentAddresses ?? [options.agentAddress] })
  const lessons = lessonRoutes()
  const files = sirv(distDir, { single: true, etag: true, dev: false })

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname
    if (path === '/agent.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(agentJson)
      return
    }
    lessons(req, res, () => { files(req, res, () => { res.writeHead(404).end('not found') }) })
  })

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(Object.assign(new Error(`port ${options.port} is already in use (is another agent running?): stop it, or pass --http-port <other port>`), { code: 'EADDRINUSE', port: options.port }))
      } else {
        reject(err)
      }
    })
    server.listen(options.port, options.host, () => { resolvePromise() })
  })

  const { port } = server.address() as AddressInfo
  const url = `http://${urlHost(options.host)}:${port}/?agent=${encodeURIComponent(options.agentAddress)}`
  return {
    url,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolvePromise => { server.close(() => { resolvePromise() }) })
    }
  }
}

/** A wildcard listen address is not something a browser can open. */
function urlHost (host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** What the built app depends on: if any of it is newer than the build, rebuild. */
const SOURCES = ['visualizer/src', 'visualizer/index.html', 'visualizer/vite.config.ts', 'visualizer/public', 'mesh', 'package-lock.json']
const LOCK_DIR = join(VISUALIZER, '.build-lock')
const LOCK_STALE_MS = 180_000

export interface EnsureBuiltOptions {
  log?: (line: string) => void
  distDir?: string
}

/**
 * Build the app once with Vite's JS API if `visualizer/dist` is missing or stale.
 * Several processes (parallel test files, two agents) may ask at once: one
 * builds under a lock, the others wait and find the fresh build.
 */
export async function ensureVisualizerBuilt (options: EnsureBuiltOptions = {}): Promise<{ built: boolean }> {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR
  if (await isFresh(distDir)) return { built: false }
  await acquireLock()
  try {
    if (await isFresh(distDir)) return { built: false }
    options.log?.('building the chat app (visualizer/dist) once — a few seconds…')
    const { build } = await import('vite')
    // Build beside the old output, then swap, so a running server never serves half a build.
    const staging = `${distDir}.staging-${process.pid}`
    // Always a production build, even when run from the tests (NODE_ENV=test would make Vite build dev-mode Vue).
    const nodeEnv = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      await build({ configFile: join(VISUALIZER, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } })
    } finally {
      if (nodeEnv == null) delete process.env.NODE_ENV
      else process.env.NODE_ENV = nodeEnv
    }
    await writeFile(join(staging, PRODUCTION_MARK), 'built with mode production\n')
    await rm(distDir, { recursive: true, force: true })
    await rename(staging, distDir)
    return { built: true }
  } finally {
    await rmdir(LOCK_DIR).catch(() => {})
  }
}

/** Written into every build made here, so a dist built any other way is rebuilt once. */
const PRODUCTION_MARK = '.production-build'

async function isFresh (distDir: string): Promise<boolean> {
  const built = await stat(join(distDir, 'index.html')).catch(() => undefined)
  if (built == null) return false
  // An older build may be a dev-mode one (built under NODE_ENV=test): never serve it.
  if (await stat(join(distDir, PRODUCTION_MARK)).catch(() => undefined) == null) return false
  for (const source of SOURCES) {
    if (await newestMtime(join(REPO_ROOT, source)) > built.mtimeMs) return false
  }
  return true
}

async function newestMtime (path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined)
  if (info == null) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    newest = Math.max(newest, await newestMtime(join(path, entry.name)))
  }
  return newest
}

async function acquireLock (): Promise<void> {
  const deadline = Date.now() + LOCK_STALE_MS
  for (;;) {
    try {
      await mkdir(LOCK_DIR)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const info = await stat(LOCK_DIR).catch(() => undefined)
      // A build that died without cleaning up must not block every later start.
      if (info != null && Date.now() - info.mtimeMs > LOCK_STALE_MS) await rmdir(LOCK_DIR).catch(() => {})
      if (Date.now() > deadline) throw new Error(`waited ${LOCK_STALE_MS / 1000} s for another build of the chat app; remove ${LOCK_DIR} if no build is running`)
      await new Promise(resolvePromise => setTimeout(resolvePromise, 250))
    }
  }
}
