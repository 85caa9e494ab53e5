/**
 * Alien X answering with a model: the agent talks to a local server that speaks
 * Ollama's real wire format (NDJSON /api/chat), and the page shows the answer
 * growing as it streams, then the provider and model that produced it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { stopAll } from '../../../agent/test/harness.ts'
import { startFakeOllama } from '../../../agent/llm/test/fake-llm-servers.ts'
import type { FakeLlmServer } from '../../../agent/llm/test/fake-llm-servers.ts'
import { joinMesh, launchChromium, openPage, say, waitForMessage } from './browser.ts'
import { buildApp, startStack } from './stack.ts'
import type { Stack } from './stack.ts'

const ANSWER = ['Greetings, ', 'traveller. ', 'The mesh ', 'hums with ', 'three peers ', 'tonight, ', 'and every ', 'pulse ', 'finds its ', 'way home.']

let browser: Browser
let stack: Stack
let ollama: FakeLlmServer

beforeAll(async () => {
  ollama = await startFakeOllama({ reply: ANSWER, chunkDelayMs: 150 })
  await buildApp()
  ;[stack, browser] = await Promise.all([startStack({ llm: { ollamaHost: ollama.url, model: 'llama3.2' } }), launchChromium()])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await stack?.web.close()
  await stopAll()
  await ollama?.close()
})

it('streams Alien X\'s Ollama answer in as it is generated, naming provider and model', async () => {
  const { page, errors } = await openPage(browser, stack.url)
  await joinMesh(page)
  await waitForMessage(page, 'Welcome', { kind: 'agent' })
  await say(page, 'Tell me about the mesh')

  // While streaming: a partial answer, marked as streaming.
  const streaming = page.locator('[data-testid="chat-message"][data-kind="agent"][data-streaming="true"]')
  await streaming.first().waitFor({ timeout: 15_000 })
  const partial = (await streaming.first().getByTestId('message-text').textContent())!.replace('▍', '')
  expect(partial.length).toBeGreaterThan(0)
  expect(partial.length).toBeLessThan(ANSWER.join('').length)

  const reply = await waitForMessage(page, 'way home.', { kind: 'agent', timeoutMs: 20_000 })
  await expect.poll(async () => (await reply.getAttribute('data-streaming')) === 'false', { timeout: 10_000, message: 'the stream to end' }).toBe(true)
  expect(await reply.getByTestId('message-text').textContent()).toBe(ANSWER.join('').trim())
  expect(ANSWER.join('').startsWith(partial)).toBe(true)
  expect(await reply.getByTestId('reply-model').textContent()).toBe('ollama · llama3.2')
  // The agent's presence now names its model in the status bar.
  await expect.poll(async () => /llama3\.2/.test(await page.getByTestId('agent-model').textContent() ?? ''), { timeout: 10_000, message: 'the model in the status bar' }).toBe(true)
  expect(ollama.requests.at(-1)?.body.messages?.at(-1)?.content).toContain('Tell me about the mesh')
  expect(errors).toEqual([])
}, 60_000)
