/**
 * `npm start`, then the agent is killed (SIGKILL: no goodbye on any connection)
 * and started again. The page says at once that the agent went away, retries
 * with backoff, queues what is typed meanwhile (visibly pending) and delivers it
 * when the agent is back.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { peerIdFromString } from '@libp2p/peer-id'
import { fetchHistory } from '../../../mesh/history.ts'
import { joinAgent, stopAll, testPeer } from '../../../agent/test/harness.ts'
import type { TestPeer } from '../../../agent/test/harness.ts'
import { freeAgentPorts, startAgentProcess } from './agent-process.ts'
import type { AgentPorts, AgentProcess } from './agent-process.ts'
import { joinMesh, launchChromium, openPage, say, waitForMessage } from './browser.ts'
import { buildApp } from './stack.ts'

let dir: string
let ports: AgentPorts
let agent: AgentProcess | undefined
let browser: Browser
let page: Page
let terminal: TestPeer
const pageErrors: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmesh-reconnect-'))
  ports = await freeAgentPorts()
  await buildApp()
  ;[agent, browser] = await Promise.all([startAgentProcess(dir, ports), launchChromium()])
  terminal = await testPeer()
  await joinAgent(terminal, `/ip4/127.0.0.1/tcp/${ports.tcp}/p2p/${agent.browserAddress.split('/p2p/')[1]}`)
}, 90_000)

afterAll(async () => {
  await agent?.kill()
  await browser?.close()
  await stopAll()
  await rm(dir, { recursive: true, force: true })
})

it('opens the chat from the URL `npm start` prints, with the agent prefilled', async () => {
  ;({ page } = await openPage(browser, agent!.url))
  page.on('pageerror', err => pageErrors.push(err.message))
  expect(await page.getByTestId('agent-address').inputValue()).toBe(agent!.browserAddress)
  await joinMesh(page)
  await waitForMessage(page, 'Welcome', { kind: 'agent' })
})

it('says at once that a killed agent is gone, queues what is typed, and delivers it when the agent returns', async () => {
  const killedAt = Date.now()
  await agent!.kill()
  agent = undefined
  await page.locator('[data-testid="mesh-status"][data-phase="offline"]').waitFor({ timeout: 15_000 })
  const noticedMs = Date.now() - killedAt
  console.log(`noticed the killed agent after ${noticedMs} ms`)

  const text = `typed while the agent was away ${Math.random().toString(36).slice(2, 8)}`
  await say(page, text)
  const queued = await waitForMessage(page, text)
  expect(await queued.getAttribute('data-delivery')).toBe('pending')
  expect(await queued.getByTestId('delivery').textContent()).toMatch(/pending/)
  expect(await page.getByTestId('pending-count').textContent()).toMatch(/1 pending/)

  const restartedAt = Date.now()
  agent = await startAgentProcess(dir, ports)
  await joinAgent(terminal, `/ip4/127.0.0.1/tcp/${ports.tcp}/p2p/${agent.browserAddress.split('/p2p/')[1]}`)
  await page.locator('[data-testid="mesh-status"][data-phase="synced"]').waitFor({ timeout: 30_000 })
  console.log(`back in MESH SYNCED ${Date.now() - restartedAt} ms after the restart began`)
  await expect.poll(async () => await queued.getAttribute('data-delivery'), { timeout: 10_000 }).toBe('sent')
  // The agent has it and passes it on: live to a peer already in its gossip mesh, and
  // from its recent chat to one that was still joining (as an LLMesh peer catches up).
  const agentId = peerIdFromString(agent.browserAddress.split('/p2p/')[1]!)
  await expect.poll(async () => terminal.chat.some(line => line.text === text) ||
    (await fetchHistory(terminal.node, agentId).catch(() => [])).some(m => new TextDecoder().decode(m.data) === text),
  { timeout: 15_000, message: 'the queued message at the terminal, live or in the agent\'s recent chat' }).toBe(true)
  expect(await page.getByTestId('pending-count').count()).toBe(0)
  expect(pageErrors).toEqual([])
}, 90_000)
