/**
 * A real multi-user chat, end to end: three Chromium pages and a real agent
 * (offline persona). Everyone sees everyone's messages once and in order, Alien X
 * answers what is addressed to it in every page, delivery says what really
 * happened, a page notices when the agent stops hearing it, *leave* leaves (and
 * says goodbye), and a page that comes back catches up from the agent's history.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { TopicValidatorResult } from '../../../mesh/gossip.ts'
import { encodeExtensionMessage } from '../../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'
import { joinAgent, stopAll, testPeer } from '../../../agent/test/harness.ts'
import { drawnTopology, joinMesh, launchChromium, openPage, say, selfPeerId, waitForMessage } from './browser.ts'
import { buildApp, startStack } from './stack.ts'
import type { Stack } from './stack.ts'

let browser: Browser
let stack: Stack
const pages: Page[] = []
const ids: string[] = []
const pageErrors: string[] = []
const tag = Math.random().toString(36).slice(2, 7)

beforeAll(async () => {
  await buildApp()
  ;[stack, browser] = await Promise.all([startStack(), launchChromium()])
  for (let i = 0; i < 3; i++) {
    const { page } = await openPage(browser, stack.url)
    page.on('pageerror', err => pageErrors.push(err.message))
    pages.push(page)
  }
  // One after another: three WebRTC handshakes at once on a loaded 2-core machine can outlast a dial timeout.
  for (const page of pages) {
    await joinMesh(page, undefined, 60_000)
    ids.push(await selfPeerId(page))
  }
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.web.close()
  await stopAll()
})

/** The texts of chat lines carrying this run's tag, in the order the page shows them. */
async function taggedTexts (page: Page): Promise<string[]> {
  return await page.getByTestId('message-text').evaluateAll((els, t) =>
    els.map(el => el.textContent ?? '').filter(text => text.includes(t)).map(text => text.trim()), `#${tag}`)
}

const agentId = (): string => stack.agent.peerId

describe('three people and Alien X in one room', () => {
  it('shows everyone\'s messages once and in order in every page, and answers what is addressed to Alien X in every page', async () => {
    const [a, b, c] = pages as [Page, Page, Page]
    const script: Array<[Page, string]> = [[a, `hi all from A #${tag}`], [b, `hello A, B here #${tag}`], [c, `C joins in #${tag}`], [a, `good to see you both #${tag}`]]
    const said: string[] = []
    for (const [page, text] of script) {
      await say(page, text)
      said.push(text)
      // Each line is said once the previous one is everywhere: the order is then the same for all.
      for (const p of pages) await waitForMessage(p, text)
    }
    for (const page of pages) {
      await expect.poll(async () => await taggedTexts(page)).toEqual(said)
    }

    // People are shown by their short ids, with no doubt mark: the "?" is for false agents only.
    const senderOnA = async (text: string) => await (await waitForMessage(a, text)).getByTestId('sender').textContent()
    expect(await senderOnA(said[1]!)).toBe(`…${ids[1]!.slice(-6)}`)
    expect(await senderOnA(said[2]!)).toBe(`…${ids[2]!.slice(-6)}`)

    const question = `Alien X, who is here? #${tag}`
    await say(b, question)
    // The answer names the question it answers (sender and sequence number): find that one in every page.
    const asked = await waitForMessage(b, question)
    const seq = await vi.waitFor(async () => {
      const published = await asked.getAttribute('data-seq')
      if (published == null) throw new Error('the question is not published yet')
      return published
    }, { timeout: 10_000, interval: 100 })
    for (const page of pages) {
      const answer = page.locator(`[data-testid="chat-message"][data-kind="agent"][data-in-reply-to="${ids[1]}:${seq}"]`)
      await answer.first().waitFor({ timeout: 30_000 })
      expect(await answer.first().textContent()).toContain(page === b ? '↳ you' : `↳ …${ids[1]!.slice(-6)}`)
      await expect.poll(async () => await answer.first().getAttribute('data-streaming'), { timeout: 30_000 }).toBe('false')
      expect(await answer.count()).toBe(1)
    }
  }, 120_000)

  it('says where a message went, from the publish and then from the agent\'s history', async () => {
    const own = await waitForMessage(pages[0]!, `hi all from A #${tag}`)
    await expect.poll(async () => await own.getByTestId('delivery').textContent(), { timeout: 15_000 })
      .toMatch(/^\s*(sent to the agent|reached \d+ peers, the agent among them) · the agent has it\s*$/)
    expect(await pages[0]!.getByTestId('mesh-status').getAttribute('data-heard')).toBe('true')
  }, 60_000)

  it('warns, instead of MESH SYNCED, when the agent stops hearing this page, and says so on the message', async () => {
    const b = pages[1]!
    const pubsub = stack.agent.node.services.pubsub
    const validate = pubsub.topicValidators.get(CHAT_TOPIC)!
    // The agent ignores page B from now on, as it did a graylisted peer: B's publish still "succeeds".
    pubsub.topicValidators.set(CHAT_TOPIC, (peer: unknown, msg: { type: string, from?: { toString: () => string } }) =>
      msg.type === 'signed' && msg.from?.toString() === ids[1] ? TopicValidatorResult.Ignore : validate(peer, msg))
    try {
      const text = `is anyone hearing B? #${tag}`
      await say(b, text)
      const own = await waitForMessage(b, text)
      await b.locator('[data-testid="mesh-status"][data-heard="false"]').waitFor({ timeout: 45_000 })
      expect(await b.getByTestId('mesh-status').textContent()).toContain('AGENT NOT HEARING YOU')
      await b.getByTestId('unheard').waitFor()
      expect(await own.getByTestId('delivery').textContent()).toContain('the agent did not get it')
    } finally {
      pubsub.topicValidators.set(CHAT_TOPIC, validate)
    }
    // Heard again: the next message is in the agent's history, and the warning goes.
    const again = `B again #${tag}`
    await say(b, again)
    await b.locator('[data-testid="mesh-status"][data-heard="true"]').waitFor({ timeout: 45_000 })
    expect(await b.getByTestId('mesh-status').textContent()).toContain('MESH SYNCED')
    await waitForMessage(pages[0]!, again)
  }, 150_000)

  it('drops a peer from every page\'s picture on its goodbye, though the agent still lists its connection', async () => {
    const terminal = await testPeer()
    await joinAgent(terminal, stack.agent.addresses.tcp[0]!)
    for (const page of pages) {
      await expect.poll(async () => (await drawnTopology(page)).nodes[terminal.id] === 'terminal', { timeout: 15_000, message: 'the terminal drawn' }).toBe(true)
    }
    await terminal.node.services.pubsub.publish(LLMESH_TOPIC, encodeExtensionMessage({ type: 'goodbye' }))
    for (const page of pages) {
      await expect.poll(async () => (await drawnTopology(page)).nodes[terminal.id] == null, { timeout: 5000, message: 'the terminal gone from the picture' }).toBe(true)
    }
    expect(stack.agent.node.getConnections().some(c => c.remotePeer.toString() === terminal.id)).toBe(true)
    // It speaks again: it is back.
    await terminal.say(`back from goodbye #${tag}`)
    await expect.poll(async () => (await drawnTopology(pages[0]!)).nodes[terminal.id] === 'terminal', { timeout: 15_000, message: 'the terminal drawn again' }).toBe(true)
    await terminal.stop()
  }, 60_000)

  it('leaves for real: the node stops, nothing redials, the others drop it; joining again catches up once, in order', async () => {
    const [a, , c] = pages as [Page, Page, Page]
    const cId = ids[2]!
    const connectedToC = (): boolean => stack.agent.node.getConnections().some(conn => conn.remotePeer.toString() === cId)
    const listener = await testPeer()
    await joinAgent(listener, stack.agent.addresses.tcp[0]!)
    await c.getByTestId('leave').click()
    await c.getByTestId('connect').waitFor()
    await expect.poll(async () => !connectedToC(), { timeout: 10_000, message: 'the agent no longer connected to the page that left' }).toBe(true)
    await expect.poll(async () => (await drawnTopology(a)).nodes[cId] == null, { timeout: 5000, message: 'the page that left gone from A\'s picture' }).toBe(true)
    // Its goodbye went out before the node stopped, signed by it.
    await expect.poll(async () => listener.extension.some(e => e.from === cId && e.message.type === 'goodbye'), { timeout: 5000, message: 'the goodbye of the page that left' }).toBe(true)
    expect(await c.evaluate(() => document.querySelectorAll('[data-testid="chat-message"]').length)).toBe(0) // the welcome screen

    const whileAway = [`said while C was away #${tag}`, `and more while C was away #${tag}`]
    for (const text of whileAway) { await say(a, text); await waitForMessage(a, text) }
    // Still gone a while later: nothing redialed behind the welcome screen.
    await new Promise(resolve => setTimeout(resolve, 3000))
    expect(connectedToC()).toBe(false)

    await joinMesh(c, undefined, 60_000)
    expect(await selfPeerId(c)).toBe(cId)
    for (const text of whileAway) {
      const caught = await waitForMessage(c, text, { timeoutMs: 15_000 })
      expect(await caught.getAttribute('data-backfilled')).toBe('true')
    }
    // Everything once, in the room's order: what C saw before leaving, then the gap.
    const onA = await taggedTexts(a)
    await expect.poll(async () => (await taggedTexts(c)).filter(t => onA.includes(t))).toEqual(onA.filter(t => !t.startsWith('is anyone hearing B?')))
  }, 120_000)

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
