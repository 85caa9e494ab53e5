import { afterEach, describe, expect, it } from 'vitest'
import { LlmError } from './errors.ts'
import { openaiProvider } from './openai.ts'
import type { PromptMessage } from './types.ts'
import { refusedUrl, startFakeOpenAI } from './test/fake-llm-servers.ts'
import type { FakeLlmServer, FakeOpenAIBehaviour } from './test/fake-llm-servers.ts'
import { collect, settle } from './test/helpers.ts'

const messages: PromptMessage[] = [
  { role: 'system', content: 'You are Alien X.' },
  { role: 'user', content: 'what is yamux?' }
]

let fake: FakeLlmServer<FakeOpenAIBehaviour> | undefined
afterEach(async () => { await fake?.close(); fake = undefined })

describe('openaiProvider', () => {
  it('streams the SSE deltas in order with a Bearer key, the model and the messages', async () => {
    fake = await startFakeOpenAI({ reply: ['Yamux ', 'splits ', 'one ', 'connection.'] })
    const provider = openaiProvider({ apiKey: 'sk-test-123', baseURL: fake.url, model: 'gpt-4o-mini' })

    expect(await collect(provider.stream(messages))).toEqual(['Yamux ', 'splits ', 'one ', 'connection.'])
    expect(provider.name).toBe('openai')
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]?.authorization).toBe('Bearer sk-test-123')
    expect(fake.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', messages, stream: true })
  })

  it('talks to a keyless local server (llama.cpp, LM Studio) given only a base URL', async () => {
    fake = await startFakeOpenAI({ reply: 'local words' })
    const provider = openaiProvider({ baseURL: fake.url, model: 'local-model' })

    expect((await collect(provider.stream(messages))).join('')).toBe('local words')
    expect(fake.requests[0]?.body.model).toBe('local-model')
  })

  it.each([
    ['unauthorized', '401 unauthorized – check OPENAI_API_KEY', 'unauthorized'],
    ['missing-model', 'model "gpt-9" not found (404) – check OPENAI_MODEL', 'not-found'],
    ['server-error', '500 server error: The server had an error while processing your request. Sorry about that!', 'server']
  ] as const)('%s → "%s", after exactly one request (no retries)', async (behaviour, message, kind) => {
    fake = await startFakeOpenAI({ behaviour })
    const provider = openaiProvider({ apiKey: 'sk-test', baseURL: fake.url, model: 'gpt-9' })

    const result = await settle(collect(provider.stream(messages)))
    expect(result.ok).toBe(false)
    const error = (result as { error: LlmError }).error
    expect(error).toBeInstanceOf(LlmError)
    expect(error.message).toBe(message)
    expect(error.kind).toBe(kind)
    expect(fake.requests).toHaveLength(1)
  })

  it('yields what arrived, then throws on an error event mid-stream', async () => {
    fake = await startFakeOpenAI({ behaviour: 'error-mid-stream', reply: ['a ', 'b ', 'c'], errorMessage: 'upstream overloaded' })
    const provider = openaiProvider({ apiKey: 'sk-test', baseURL: fake.url, model: 'gpt-4o-mini' })

    const seen: string[] = []
    const result = await settle((async () => { for await (const delta of provider.stream(messages)) seen.push(delta) })())
    expect(seen).toEqual(['a ', 'b '])
    expect(result.ok).toBe(false)
    expect((result as { error: Error }).error.message).toBe('upstream overloaded')
  })

  it('fails fast with "connection refused" when nothing listens', async () => {
    const base = `${await refusedUrl()}/v1`
    const provider = openaiProvider({ apiKey: 'sk-test', baseURL: base, model: 'gpt-4o-mini' })

    const started = performance.now()
    await expect(collect(provider.stream(messages))).rejects.toThrow(`connection refused at ${base}`)
    expect(performance.now() - started).toBeLessThan(250)
  })

  it('abort mid-stream closes the HTTP request at once and ends quietly', async () => {
    fake = await startFakeOpenAI({ reply: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 40 })
    const provider = openaiProvider({ apiKey: 'sk-test', baseURL: fake.url, model: 'gpt-4o-mini' })
    const controller = new AbortController()

    const seen: string[] = []
    const started = performance.now()
    for await (const delta of provider.stream(messages, { signal: controller.signal })) {
      seen.push(delta)
      if (seen.length === 2) controller.abort()
    }
    expect(seen).toEqual(['w0 ', 'w1 '])
    expect(await fake.requests[0]?.closed).toBe('aborted')
    expect(performance.now() - started).toBeLessThan(1000) // the full reply would take 2 s
  })

  it('abort reaches a server that never answers', async () => {
    fake = await startFakeOpenAI({ behaviour: 'hang' })
    const provider = openaiProvider({ apiKey: 'sk-test', baseURL: fake.url, model: 'gpt-4o-mini' })
    const controller = new AbortController()

    const done = collect(provider.stream(messages, { signal: controller.signal }))
    await expect.poll(() => fake?.requests.length === 1, { timeout: 2000, message: 'the request to reach the fake' }).toBe(true)
    controller.abort()
    expect(await done).toEqual([])
    expect(await fake.requests[0]?.closed).toBe('aborted')
  }, 3000)
})
