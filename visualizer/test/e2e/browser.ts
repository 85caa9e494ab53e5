/**
 * Headless Debian Chromium through playwright-core (nothing downloads a browser).
 * Each `openPage` gets its own context: its own localStorage, so its own peer id.
 */
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { findChromium, installAdvice } from '../../../mesh/chromium.ts'

export async function launchChromium (): Promise<Browser> {
  const executablePath = findChromium()
  if (executablePath == null) throw new Error(`no Chromium-based browser found: ${installAdvice()}`)
  // playwright manages the profile directory itself (it refuses --user-data-dir in args).
  return await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

export interface OpenPageOptions {
  reducedMotion?: boolean
  viewport?: { width: number, height: number }
}

export async function openPage (browser: Browser, url: string, options: OpenPageOptions = {}): Promise<{ context: BrowserContext, page: Page, errors: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    reducedMotion: options.reducedMotion === true ? 'reduce' : 'no-preference'
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', err => { errors.push(err.message) })
  if (process.env.LLMESH_E2E_CONSOLE === '1') page.on('console', msg => { console.log(`[page] ${msg.text()}`) })
  await page.goto(url)
  return { context, page, errors }
}

/** Click LET'S FLOW with the prefilled (or given) address and wait for MESH SYNCED. */
export async function joinMesh (page: Page, address?: string, timeoutMs = 20_000): Promise<void> {
  if (address != null) await page.getByTestId('agent-address').fill(address)
  await page.getByTestId('connect').click()
  await page.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: timeoutMs })
}

/** The chat message (by its text) as a locator; waits until it is there. */
export async function waitForMessage (page: Page, text: string, options: { kind?: string, timeoutMs?: number } = {}) {
  const selector = options.kind != null ? `[data-testid="chat-message"][data-kind="${options.kind}"]` : '[data-testid="chat-message"]'
  const message = page.locator(selector, { hasText: text }).first()
  await message.waitFor({ timeout: options.timeoutMs ?? 15_000 })
  return message
}

export async function say (page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text)
  await page.getByTestId('chat-input').press('Enter')
}

/** The topology as drawn: node ids with kinds, and edges as "a|b" keys with transport. */
export async function drawnTopology (page: Page): Promise<{ nodes: Record<string, string>, links: Record<string, { transport: string, mesh: boolean }> }> {
  return await page.evaluate(() => {
    const nodes: Record<string, string> = {}
    for (const el of document.querySelectorAll('[data-testid="topo-node"]')) nodes[el.getAttribute('data-peer')!] = el.getAttribute('data-kind')!
    const links: Record<string, { transport: string, mesh: boolean }> = {}
    for (const el of document.querySelectorAll('[data-testid="topo-link"]')) {
      const a = el.getAttribute('data-source')!
      const b = el.getAttribute('data-target')!
      links[a < b ? `${a}|${b}` : `${b}|${a}`] = { transport: el.getAttribute('data-transport')!, mesh: el.getAttribute('data-mesh') === 'true' }
    }
    return { nodes, links }
  })
}

export function pairKey (a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

/** Our own peer id, as the status bar shows it (full id in its title). */
export async function selfPeerId (page: Page): Promise<string> {
  return (await page.locator('.self[title]').getAttribute('title'))!
}

