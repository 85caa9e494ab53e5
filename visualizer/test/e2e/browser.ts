/**
 * Headless Debian Chromium through playwright-core (nothing downloads a browser).
 * Each `openPage` gets its own context: its own localStorage, so its own peer id.
 */
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium (): Promise<Browser> {
  // playwright manages the profile directory itself (it refuses --user-data-dir in args).
  return await chromium.launch({
    executablePath: CHROMIUM,
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
