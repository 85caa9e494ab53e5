/**
 * End to end in headless Chromium: two browser pages and a terminal peer join a
 * real agent (offline persona); chat flows between all of them, Alien X answers,
 * the topology shows the whole mesh, history survives a reload, and a bad
 * multiaddr is explained before any dial.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startWebServer } from '../../../agent/web-server.ts'
import type { RunningWebServer } from '../../../agent/web-server.ts'
import { joinAgent, stopAll, testPeer } from '../../../agent/test/harness.ts'
import type { TestPeer } from '../../../agent/test/harness.ts'
import { drawnTopology, joinMesh, launchChromium, openPage, pairKey, say, selfPeerId, waitForMessage } from './browser.ts'
import { buildApp, startStack } from './stack.ts'
import type { Stack } from './stack.ts'

let browser: Browser
let stack: Stack
let wsOnlyWeb: RunningWebServer
let terminal: TestPeer
let pageA: Page
let pageB: Page
let idA: string
let idB: string
const pageErrors: string[] = []

beforeAll(async () => {
  await buildApp()
  ;[stack, browser] = await Promise.all([startStack(), launchChromium()])
  // A second server that only knows the agent's WebSocket address: page B joins over /ws.
  const ws = stack.agent.addresses.ws[0]!
  wsOnlyWeb = await startWebServer({ host: '127.0.0.1', port: 0, agentAddress: ws, agentAddresses: [ws] })
  terminal = await testPeer()
  await joinAgent(terminal, stack.agent.addresses.tcp[0]!)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await wsOnlyWeb?.close()
  await stack?.web.close()
  await stopAll()
})

describe('bad addresses', () => {
  it('explains a wrong or unusable multiaddr in one line, before any dial, and a failed dial by its stage', async () => {
    const { page, context, errors } = await openPage(browser, stack.bareUrl)
    const connectionsBefore = stack.agent.node.getConnections().length
    const cases: Array<[string, RegExp]> = [
      ['not an address', /not a multiaddr/],
      [stack.agent.addresses.tcp[0]!, /Browsers cannot dial raw TCP/],
      [stack.agent.addresses.ws[0]!.replace('/ws/', '/tls/ws/'), /plain \/ws/],
      [stack.agent.addresses.ws[0]!.split('/p2p/')[0]!, /no \/p2p\/<peer id>/]
    ]
    for (const [address, explanation] of cases) {
      await page.getByTestId('agent-address').fill(address)
      await page.getByTestId('connect').click()
      await expect(page.getByTestId('address-error').textContent()).resolves.toMatch(explanation)
      expect(await page.getByTestId('warp').count()).toBe(0)
    }
    expect(stack.agent.node.getConnections().length).toBe(connectionsBefore)

    // A well-formed address where nobody listens: the failed stage, and why.
    await page.getByTestId('agent-address').fill('/ip4/127.0.0.1/tcp/1/ws/p2p/12D3KooWDPMxafbcy7YzfUhXCjmDzNib2CEMqCSRE8gZUkN9LmLW')
    await page.getByTestId('connect').click()
    await page.getByTestId('join-failure').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('stage-dialing').getAttribute('data-status')).toBe('failed')
    expect(await page.getByTestId('failure-reason').textContent()).toMatch(/dialing failed: Could not open a WebSocket to 127\.0\.0\.1:1/)
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('two browsers, a terminal and Alien X', () => {
  it('joins over WebRTC-direct (preferred) and over WebSocket, each reaching MESH SYNCED', async () => {
    ;({ page: pageA } = await openPage(browser, stack.url).then(r => { pageErrors.push(...r.errors); return r }))
    ;({ page: pageB } = await openPage(browser, wsOnlyWeb.url))
    pageA.on('pageerror', err => pageErrors.push(err.message))
    pageB.on('pageerror', err => pageErrors.push(err.message))
    // The banner URL prefills the address.
    expect(await pageA.getByTestId('agent-address').inputValue()).toBe(stack.agent.browserAddress)
    await Promise.all([joinMesh(pageA), joinMesh(pageB)])
    expect(await pageA.getByTestId('transport').getAttribute('data-transport')).toBe('webrtc-direct')
    expect(await pageB.getByTestId('transport').getAttribute('data-transport')).toBe('ws')
    for (const stage of ['dialing', 'noise', 'yamux', 'identify', 'gossipsub']) {
      expect(await pageA.getByTestId(`stage-${stage}`).count()).toBe(0) // the warp is gone once synced
    }
    idA = await selfPeerId(pageA)
    idB = await selfPeerId(pageB)
    expect(idA).not.toBe(idB)
    // Alien X greets each newcomer once.
    await waitForMessage(pageA, 'Welcome', { kind: 'agent' })
  })

  it('delivers a message from page A to page B and to the terminal peer, with a pulse on its way', async () => {
    const pulses = async (page: Page): Promise<number> => Number(await page.getByTestId('pulse-layer').getAttribute('data-pulses'))
    // A pulse runs along B's picture of the route, so B must have drawn A first
    // (from the topology reports, which may trail the join on a loaded machine).
    await expect.poll(async () => (await drawnTopology(pageB)).nodes[idA] != null, { timeout: 15_000, message: 'A drawn in B\'s picture' }).toBe(true)
    const pulsesBefore = await pulses(pageB)
    const text = `hello from A ${Math.random().toString(36).slice(2, 8)}`
    await say(pageA, text)
    const own = await waitForMessage(pageA, text)
    expect(await own.getAttribute('data-own')).toBe('true')
    await expect.poll(async () => await own.getByTestId('delivery').textContent()).toMatch(/sent to the agent|reached \d+ peers/)
    const onB = await waitForMessage(pageB, text)
    expect(await onB.getAttribute('data-own')).toBe('false')
    expect(await onB.getAttribute('data-from')).toBe(idA)
    await terminal.waitForChat(line => line.text === text && line.from === idA)
    await expect.poll(async () => await pulses(pageB), { timeout: 5000 }).toBeGreaterThan(pulsesBefore)
  })

  it('shows the terminal peer\'s messages in both browsers, marked as a terminal', async () => {
    const text = `hello from the terminal ${Math.random().toString(36).slice(2, 8)}`
    await terminal.say(text)
    for (const page of [pageA, pageB]) await waitForMessage(page, text, { kind: 'terminal' })
  })

  it('streams Alien X\'s answer in, with its provider and model', async () => {
    // Two browsers and a terminal: with more than one person in the room, the agent answers what names it.
    await say(pageA, 'Alien X, who is here?')
    const reply = await waitForMessage(pageA, 'connected', { kind: 'agent', timeoutMs: 20_000 })
    await expect.poll(async () => await reply.getAttribute('data-streaming')).toBe('false')
    expect(await reply.getByTestId('reply-model').textContent()).toMatch(/offline/)
    expect(await reply.textContent()).toContain('↳ you')
    // One bubble per answer: the plain-chat copy is folded into the streamed one.
    const replies = pageA.locator('[data-testid="chat-message"][data-kind="agent"]', { hasText: 'connected' })
    await pageA.waitForTimeout(500)
    expect(await replies.count()).toBe(1)
    await waitForMessage(pageB, 'connected', { kind: 'agent' })
  })

  it('draws all four nodes with the right edges, from the agent\'s topology reports', async () => {
    const agentId = stack.agent.peerId
    const want = {
      [idA]: 'self', [agentId]: 'agent', [idB]: 'browser', [terminal.id]: 'terminal'
    }
    const drawn = await vi.waitFor(async () => {
      const now = await drawnTopology(pageA)
      if (Object.keys(now.nodes).length !== 4 || Object.keys(now.links).length !== 3 || now.links[pairKey(idA, agentId)]?.mesh !== true) {
        throw new Error(`want four nodes, three links and our gossip mesh link; drawn: ${JSON.stringify(now)}`)
      }
      return now
    }, { timeout: 15_000, interval: 100 })
    expect(drawn.nodes).toEqual(want)
    // The transport A uses now (WebRTC-direct, unless a loaded machine dropped it and A rejoined over /ws).
    const inUse = await pageA.getByTestId('transport').getAttribute('data-transport')
    expect(drawn.links[pairKey(idA, agentId)]).toMatchObject({ transport: inUse, mesh: true })
    expect(drawn.links[pairKey(idB, agentId)]).toMatchObject({ transport: 'ws' })
    expect(drawn.links[pairKey(terminal.id, agentId)]).toMatchObject({ transport: 'tcp' })
  })

  it('shows a peer\'s identify details and RTT on hover', async () => {
    await pageA.locator(`[data-testid="topo-node"][data-peer="${stack.agent.peerId}"] path.shape`).hover()
    const card = pageA.getByTestId('peer-card')
    await card.waitFor()
    expect(await card.getByTestId('peer-id').textContent()).toBe(stack.agent.peerId)
    expect(await card.getByTestId('peer-agent-version').textContent()).toMatch(/^llmesh\/\S+ agent \(node\)/)
    expect(await card.getByTestId('peer-protocols').textContent()).toContain('/meshsub/')
    await expect.poll(async () => await card.getByTestId('peer-rtt').count(), { timeout: 8000 }).toBe(1)
  })

  it('explains what each connection negotiated in the protocol inspector', async () => {
    await pageB.getByTestId('tab-inspector').click()
    const connection = pageB.locator(`[data-testid="inspected-connection"][data-peer="${stack.agent.peerId}"]`)
    await connection.waitFor()
    const text = await connection.textContent()
    expect(text).toContain('/noise')
    expect(text).toContain('/yamux/1.0.0')
    expect(text).toMatch(/identify: peers exchange/)
    await pageB.getByTestId('tab-topology').click()
  })

  it('keeps history, identity and the unsent draft across a reload, rejoining by itself with a visible "reconnecting"', async () => {
    const before = await pageB.getByTestId('chat-message').count()
    const draft = 'half a thought, not sent yet'
    await pageB.getByTestId('chat-input').fill(draft)
    await pageB.waitForTimeout(600) // history is saved shortly after each change
    await pageB.reload()
    // No LET'S FLOW: the tab was in the mesh, so it goes back, and says so while it does.
    const title = pageB.getByTestId('warp-title')
    await title.waitFor({ state: 'attached', timeout: 10_000 })
    expect(await title.textContent({ timeout: 2000 })).toMatch(/Reconnecting/)
    await pageB.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: 20_000 })
    expect(await selfPeerId(pageB)).toBe(idB)
    expect(await pageB.getByTestId('chat-input').inputValue()).toBe(draft)
    expect(await pageB.getByTestId('chat-message').count()).toBeGreaterThanOrEqual(before)
    pageB.once('dialog', dialog => { void dialog.accept() })
    await pageB.getByTestId('clear-history').click()
    await expect.poll(async () => await pageB.getByTestId('chat-message').count()).toBe(0)
  })

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
