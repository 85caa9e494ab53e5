/**
 * Figure 4: the production build in headless Chromium (the e2e tests' launcher),
 * against a real agent on loopback. Page load → MESH SYNCED over WebRTC-direct and
 * over WebSockets, a browser → agent → browser round trip, and the bundle split
 * into what the first load fetches and what is fetched lazily.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { DEFAULT_DIST_DIR, ensureVisualizerBuilt, startWebServer } from '../web-server.ts'
import { startAgent } from '../agent.ts'
import { launchChromium, openPage } from '../../visualizer/test/e2e/browser.ts'
import { summarize } from './stats.ts'
import type { Summary } from './stats.ts'

export interface BrowserResult {
  /** navigation start → MESH SYNCED (the page dials its prefilled agent on the click). */
  syncedWebrtcMs: Summary
  syncedWsMs: Summary
  /** The part of it from the click on LET'S FLOW. */
  clickToSyncedWebrtcMs: Summary
  clickToSyncedWsMs: Summary
  /** Enter in the chat → the first piece of Alien X's answer on screen. */
  roundTripMs: Summary
  /** The join stages of the last load, as the page lists them. */
  stagesWebrtc: string
  stagesWs: string
  firstLoadKB: number
  lazyKB: number
}

/** Gzipped kB of the JS the first page load fetches (index.html's scripts and modulepreloads) and of the rest. */
export async function bundleSplit (): Promise<{ firstLoadKB: number, lazyKB: number }> {
  await ensureVisualizerBuilt({ log: () => {} })
  const html = await readFile(join(DEFAULT_DIST_DIR, 'index.html'), 'utf8')
  const firstLoad = new Set([...html.matchAll(/(?:src|href)="(?:\.?\/)?assets\/([^"]+\.js)"/g)].map(m => m[1]!))
  let first = 0
  let lazy = 0
  for (const file of await readdir(join(DEFAULT_DIST_DIR, 'assets'))) {
    if (!file.endsWith('.js')) continue
    const size = gzipSync(await readFile(join(DEFAULT_DIST_DIR, 'assets', file))).byteLength
    if (firstLoad.has(file)) first += size
    else lazy += size
  }
  return { firstLoadKB: first / 1024, lazyKB: lazy / 1024 }
}

async function timeToSynced (browser: Browser, url: string): Promise<{ total: number, fromClick: number, stages: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  try {
    await page.goto(url)
    await page.getByTestId('connect').waitFor()
    const clickedAt = await page.evaluate(() => performance.now())
    await page.getByTestId('connect').click()
    await page.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: 20_000 })
    // The moment Vue put the pill on screen, on the page's own clock (0 = navigation start).
    const syncedAt = await page.evaluate(() => performance.now())
    // The page's own account of the join (dial, identify, subscription), as "how this tab joined" shows it.
    await page.getByTestId('show-stages').click()
    const stages = (await page.getByTestId('join-stages').innerText()).replace(/\s+/g, ' ').trim()
    return { total: syncedAt, fromClick: syncedAt - clickedAt, stages }
  } finally {
    await context.close()
  }
}

/** Enter → the first agent bubble after it, timed inside the page by a MutationObserver. */
async function roundTrips (browser: Browser, url: string, agentName: string, samples: number): Promise<number[]> {
  const { page, context } = await openPage(browser, url)
  try {
    await page.getByTestId('connect').click()
    await page.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="chat-message"][data-kind="agent"]').first().waitFor({ timeout: 20_000 })
    const times: number[] = []
    for (let i = 0; i < samples; i++) {
      await page.getByTestId('chat-input').fill(`@${agentName} what is a peer id? (${i})`)
      // A string, not a function: tsx's transform would add helpers the page does not have.
      const ms = await page.evaluate(`new Promise((resolve, reject) => {
        const count = () => document.querySelectorAll('[data-testid="chat-message"][data-kind="agent"]').length
        const before = count()
        const input = document.querySelector('[data-testid="chat-input"]')
        const observer = new MutationObserver(() => {
          if (count() > before) { observer.disconnect(); resolve(performance.now() - sent) }
        })
        observer.observe(document.body, { subtree: true, childList: true })
        setTimeout(() => { observer.disconnect(); reject(new Error('no answer within 5 s')) }, 5000)
        const sent = performance.now()
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
      })`) as number
      times.push(ms)
      // Let the whole answer arrive before the next question.
      await page.waitForTimeout(300)
    }
    return times
  } finally {
    await context.close()
  }
}

export async function measureBrowser (loads: number, roundTripSamples: number): Promise<BrowserResult> {
  const dir = await mkdtemp(join(tmpdir(), 'llmesh-bench-browser-'))
  const bundle = await bundleSplit()
  const agent = await startAgent({ host: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcPort: 0, mdns: false, keyFile: join(dir, 'agent.key'), llm: { offlineOnly: true }, rateBurst: 1e9 })
  const webrtc = await startWebServer({ host: '127.0.0.1', port: 0, agentAddress: agent.addresses.webrtcDirect[0]!, agentAddresses: agent.addresses.webrtcDirect })
  const ws = await startWebServer({ host: '127.0.0.1', port: 0, agentAddress: agent.addresses.ws[0]!, agentAddresses: agent.addresses.ws })
  const browser = await launchChromium()
  try {
    // One warm-up load each: the first one pays for Chromium's own start-up.
    await timeToSynced(browser, webrtc.url)
    await timeToSynced(browser, ws.url)
    const viaWebrtc: Array<Awaited<ReturnType<typeof timeToSynced>>> = []
    const viaWs: Array<Awaited<ReturnType<typeof timeToSynced>>> = []
    for (let i = 0; i < loads; i++) {
      viaWebrtc.push(await timeToSynced(browser, webrtc.url))
      viaWs.push(await timeToSynced(browser, ws.url))
    }
    const trips = await roundTrips(browser, webrtc.url, agent.name, roundTripSamples)
    return {
      syncedWebrtcMs: summarize(viaWebrtc.map(r => r.total)),
      syncedWsMs: summarize(viaWs.map(r => r.total)),
      clickToSyncedWebrtcMs: summarize(viaWebrtc.map(r => r.fromClick)),
      clickToSyncedWsMs: summarize(viaWs.map(r => r.fromClick)),
      roundTripMs: summarize(trips),
      stagesWebrtc: viaWebrtc.at(-1)?.stages ?? '',
      stagesWs: viaWs.at(-1)?.stages ?? '',
      ...bundle
    }
  } finally {
    await browser.close()
    await webrtc.close()
    await ws.close()
    await agent.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
