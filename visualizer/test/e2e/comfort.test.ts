/**
 * Everyday comfort, end to end in Chromium against a real agent: the composer
 * refuses what cannot be sent, answers render as safe Markdown, right-to-left
 * text lays out right, long messages fold, the chat box has the focus, the
 * stages stay readable, the status bar says "no model", errors speak the
 * person's terms, and a phone-sized screen gets a phone layout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { CHAT_TOPIC } from '../../../mesh/protocol.ts'
import { joinAgent, stopAll, testPeer } from '../../../agent/test/harness.ts'
import type { TestPeer } from '../../../agent/test/harness.ts'
import { joinMesh, launchChromium, openPage, say, waitForMessage } from './browser.ts'
import { buildApp, startStack } from './stack.ts'
import type { Stack } from './stack.ts'

let browser: Browser
let stack: Stack
let terminal: TestPeer
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  await buildApp()
  ;[stack, browser] = await Promise.all([startStack(), launchChromium()])
  terminal = await testPeer()
  await joinAgent(terminal, stack.agent.addresses.tcp[0]!)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.web.close()
  await stopAll()
})

/** The agent's own node says this on the chat, as an LLM answer would read. */
async function agentSays (text: string): Promise<void> {
  await stack.agent.node.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))
}

describe('errors in the person\'s terms', () => {
  it('reports a malformed peer id, a wrong peer at the address, and which address was used instead of the typed one', async () => {
    const { page: welcome, context } = await openPage(browser, stack.bareUrl)
    const ws = stack.agent.addresses.ws[0]!
    await welcome.getByTestId('agent-address').fill(`${ws.split('/p2p/')[0]}/p2p/12D3KooWnotapeer`)
    await welcome.getByTestId('connect').click()
    expect(await welcome.getByTestId('address-error').textContent()).toMatch(/"12D3KooWnotapeer" after \/p2p\/ is not a valid peer id/)

    const stranger = (await testPeer()).id
    await welcome.getByTestId('agent-address').fill(`${ws.split('/p2p/')[0]}/p2p/${stranger}`)
    await welcome.getByTestId('connect').click()
    await welcome.getByTestId('join-failure').waitFor({ timeout: 20_000 })
    const reason = await welcome.getByTestId('failure-reason').textContent()
    expect(reason).toContain(`is ${stack.agent.peerId}, not ${stranger}`)
    expect(reason).toMatch(/The peer at this address \(127\.0\.0\.1:\d+\)/)

    // The agent's peer at a port where nothing listens: the app tries the agent's other addresses
    // (from agent.json, WebRTC-direct first) and joins through one of them, and says which.
    const typed = `/ip4/127.0.0.1/tcp/1/ws/p2p/${stack.agent.peerId}`
    await welcome.getByTestId('agent-address').fill(typed)
    await joinMesh(welcome, undefined, 60_000)
    expect(await welcome.getByTestId('show-stages').textContent()).toContain('other address')
    await welcome.getByTestId('show-stages').click()
    const used = (await welcome.getByTestId('used-address').textContent())!
    const offered = [...stack.agent.addresses.webrtcDirect, ...stack.agent.addresses.ws]
    expect(offered.some(address => used.includes(`Joined through ${address}, not`))).toBe(true)
    expect(used).toContain(`not the address you typed (${typed})`)
    await context.close()
  }, 120_000)
})

describe('a desktop page', () => {
  it('focuses the chat box once synced, keeps the stages readable with their times, and says "no model"', async () => {
    ;({ page } = await openPage(browser, stack.url))
    page.on('pageerror', err => pageErrors.push(err.message))
    await joinMesh(page, undefined, 60_000)
    await expect.poll(async () => await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('chat-input')

    await page.getByTestId('show-stages').click()
    for (const stage of ['dialing', 'noise', 'yamux', 'identify', 'gossipsub']) {
      const row = page.getByTestId(`stage-${stage}`)
      expect(await row.getAttribute('data-status')).toBe('done')
      expect(await row.textContent()).toMatch(/\d+ ms/)
    }
    expect(await page.getByTestId('show-stages').textContent()).toMatch(/joined in \d/)
    await page.getByTestId('show-stages').click()
    expect(await page.getByTestId('join-stages').count()).toBe(0)

    // The agent's presence names its model: announced before its greeting, and every 30 s.
    await expect.poll(async () => await page.getByTestId('agent-model').textContent(), { timeout: 45_000 }).toContain('no model — offline persona')
    expect(await page.getByTestId('agent-model').textContent()).not.toMatch(/·\s*offline\s*$/)
  }, 90_000)

  it('refuses text over the limit in the composer, showing the limit, and sends nothing', async () => {
    const before = await page.getByTestId('chat-message').count()
    const huge = 'x'.repeat(4097)
    await page.getByTestId('chat-input').fill(huge)
    expect(await page.getByTestId('too-long').textContent()).toMatch(/4097 of 4096 bytes/)
    expect(await page.getByTestId('send').isDisabled()).toBe(true)
    await page.getByTestId('chat-input').press('Enter')
    await page.waitForTimeout(300)
    expect(await page.getByTestId('chat-message').count()).toBe(before)
    expect(await page.getByTestId('chat-input').inputValue()).toBe(huge)
    await page.getByTestId('chat-input').fill('')
    expect(await page.getByTestId('too-long').count()).toBe(0)
  })

  it('renders an agent\'s Markdown safely: code in monospace, no script or image, links only after a confirmation', async () => {
    const marker = `md-${Math.random().toString(36).slice(2, 7)}`
    await agentSays([
      `**Bold claim** ${marker}`,
      '',
      '```js',
      'const peer = await createLibp2p()',
      '```',
      '',
      '<script>window.__pwned = 1</script> <img src="x" onerror="window.__pwned = 2">',
      '',
      '[safe link](https://libp2p.io/) and [evil link](javascript:window.__pwned=3) ![tracker](https://example.com/t.png)'
    ].join('\n'))
    const message = await waitForMessage(page, marker, { kind: 'agent' })
    const text = message.getByTestId('message-text')
    await text.locator('strong').waitFor()
    const code = text.locator('pre code')
    expect(await code.textContent()).toContain('const peer = await createLibp2p()')
    expect(await code.evaluate(el => getComputedStyle(el).fontFamily)).toMatch(/mono/i)
    expect(await text.locator('script, img, iframe').count()).toBe(0)
    expect(await text.textContent()).toContain('<script>') // shown as text, not run
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    const safe = text.locator('a', { hasText: 'safe link' })
    expect(await safe.getAttribute('href')).toBe('https://libp2p.io/')
    expect(await safe.getAttribute('target')).toBe('_blank')
    expect(await safe.getAttribute('rel')).toContain('noopener')
    expect(await text.locator('a', { hasText: 'evil link' }).getAttribute('href')).toBeNull()

    // Clicking asks first; saying no opens nothing.
    const dialogs: string[] = []
    const popups: unknown[] = []
    page.once('dialog', dialog => { dialogs.push(dialog.message()); void dialog.dismiss() })
    page.context().once('page', p => { popups.push(p) })
    await safe.click()
    await expect.poll(() => dialogs.length).toBe(1)
    expect(dialogs[0]).toContain('https://libp2p.io/')
    await page.waitForTimeout(300)
    expect(popups).toHaveLength(0)
    expect(page.url()).toContain(stack.bareUrl)
  })

  it('lays right-to-left text out right-to-left, and folds a very long message behind "show more"', async () => {
    const rtl = `שלום לכולם, מה שלומכם היום ${Math.random().toString(36).slice(2, 6)}`
    await terminal.say(rtl)
    const message = await waitForMessage(page, rtl.slice(0, 10))
    const text = message.getByTestId('message-text')
    expect(await text.getAttribute('dir')).toBe('auto')
    expect(await text.evaluate(el => getComputedStyle(el).direction)).toBe('rtl')

    const long = `a very long story ${Math.random().toString(36).slice(2, 6)}\n` + 'line of the story\n'.repeat(60)
    await terminal.say(long)
    const folded = await waitForMessage(page, long.slice(0, 22))
    const body = folded.getByTestId('message-text')
    const more = folded.getByTestId('show-more')
    expect(await more.textContent()).toBe('show more')
    const isClipped = async (): Promise<boolean> => await body.evaluate(el => el.scrollHeight > el.clientHeight + 2)
    expect(await isClipped()).toBe(true)
    await more.click()
    expect(await isClipped()).toBe(false)
    expect(await more.textContent()).toBe('show less')
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})

describe('a phone-sized screen (390×844)', () => {
  it('has a one-line header, gives the chat most of the height, folds the topology into a tab, and keeps graph labels inside', async () => {
    const { page: phone, context, errors } = await openPage(browser, stack.url, { viewport: { width: 390, height: 844 } })
    await joinMesh(phone, undefined, 60_000)
    const box = async (testId: string) => (await phone.getByTestId(testId).first().boundingBox())!
    // Measured in one go, while synced (a loaded machine may drop and rejoin the connection, re-rendering the pill).
    await phone.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: 60_000 })
    const layout = await phone.evaluate(() => {
      const rect = (selector: string) => { const r = document.querySelector(selector)!.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, right: r.right, height: r.height } }
      return {
        header: rect('header.status'),
        pill: rect('[data-testid="mesh-status"]'),
        leave: rect('[data-testid="leave"]'),
        chat: rect('section.chat'),
        scrollWidth: document.documentElement.scrollWidth
      }
    })
    const middle = (r: { top: number, bottom: number }) => (r.top + r.bottom) / 2
    expect(layout.header.height).toBeLessThan(56)
    expect(Math.abs(middle(layout.pill) - middle(layout.leave))).toBeLessThan(6) // one line
    expect(layout.header.right).toBeLessThanOrEqual(390)
    expect(layout.chat.height).toBeGreaterThan(844 * 0.7)
    expect(await phone.getByTestId('topology').isVisible()).toBe(false)
    // Nothing is wider than the screen.
    expect(layout.scrollWidth).toBeLessThanOrEqual(390)

    await phone.getByTestId('tab-topology').click()
    expect(await phone.locator('section.chat').isVisible()).toBe(false)
    const svg = await box('topology')
    expect(svg.height).toBeGreaterThan(844 * 0.5)
    await expect.poll(async () => await phone.locator('[data-testid="topo-node"] text.label').count() >= 2, { timeout: 10_000, message: 'labelled nodes' }).toBe(true)
    // Once the layout has settled, every label is inside the picture.
    await expect.poll(async () => await phone.evaluate(() => {
      const frame = document.querySelector('[data-testid="topology"]')!.getBoundingClientRect()
      return [...document.querySelectorAll('[data-testid="topo-node"] text.label')]
        .filter(t => (t.textContent ?? '') !== '')
        .every(t => {
          const r = t.getBoundingClientRect()
          return r.left >= frame.left - 1 && r.right <= frame.right + 1 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1
        })
    }), { timeout: 10_000 }).toBe(true)

    await phone.getByTestId('tab-chat').click()
    expect(await phone.getByTestId('chat-input').isVisible()).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  }, 120_000)
})
