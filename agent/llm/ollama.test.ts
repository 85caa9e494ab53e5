import { afterEach, describe, expect, it } from 'vitest'
import { LlmError } from './errors.ts'
import { ollamaProvider } from './ollama.ts'
import type { PromptMessage } from './types.ts'
import { refusedUrl, startFakeOllama } from './test/fake-llm-servers.ts'
import type { FakeLlmServer } from './test/fake-llm-servers.ts'
import { collect, settle } from './test/helpers.ts'

const messages: PromptMessage[] = [
  { role: 'system', content: 'You are Alien X.' },
  { role: 'user', content: 'hello mesh' }
]

let fake: FakeLlmServer | undefined
afterEach(async () => { await fake?.close(); fake = undefined })

describe('ollamaProvider', () => {
  it('streams the chunks in order and sends the model and the messages', async () => {
    fake = await startFakeOllama({ reply: ['Greet', 'ings, ', 'travel', 'ler.'] })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })

    expect(await collect(provider.stream(messages))).toEqual(['Greet', 'ings, ', 'travel', 'ler.'])
    expect(provider.name).toBe('ollama')
    expect(provider.model).toBe('llama3.2')
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]?.body).toMatchObject({ model: 'llama3.2', messages, stream: true })
  })

  it('names the model and `ollama pull` when the model is missing (404)', async () => {
    fake = await startFakeOllama({ behaviour: 'missing-model' })
    const provider = ollamaProvider({ host: fake.url, model: 'qwen9:70b' })

    const result = await settle(collect(provider.stream(messages)))
    expect(result.ok).toBe(false)
    const error = (result as { error: LlmError }).error
    expect(error).toBeInstanceOf(LlmError)
    expect(error.message).toBe('model "qwen9:70b" not found (404) – run `ollama pull qwen9:70b`')
    expect(error.kind).toBe('not-found')
    expect(error.status).toBe(404)
  })

  it('reports a 500 with the server\'s own words', async () => {
    fake = await startFakeOllama({ behaviour: 'server-error', errorMessage: 'llama runner crashed' })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })

    await expect(collect(provider.stream(messages))).rejects.toThrow('500 server error: llama runner crashed')
  })

  it('yields what arrived, then throws when an error line comes mid-stream', async () => {
    fake = await startFakeOllama({ behaviour: 'error-mid-stream', reply: ['one ', 'two ', 'three'], errorMessage: 'out of memory' })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })

    const seen: string[] = []
    const result = await settle((async () => { for await (const delta of provider.stream(messages)) seen.push(delta) })())
    expect(seen).toEqual(['one ', 'two '])
    expect(result.ok).toBe(false)
    expect((result as { error: Error }).error.message).toBe('out of memory')
  })

  it('fails fast with "connection refused" when nothing listens', async () => {
    const host = await refusedUrl()
    const provider = ollamaProvider({ host, model: 'llama3.2' })

    const started = performance.now()
    const result = await settle(collect(provider.stream(messages)))
    expect(performance.now() - started).toBeLessThan(250)
    expect(result.ok).toBe(false)
    expect((result as { error: LlmError }).error.message).toBe(`connection refused at ${host} – is \`ollama serve\` running?`)
    expect((result as { error: LlmError }).error.kind).toBe('refused')
  })

  it('abort mid-stream closes the HTTP request at once and ends quietly', async () => {
    fake = await startFakeOllama({ reply: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 40 })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })
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
    expect(fake.openRequests).toBe(0)
  })

  it('abort reaches a server that never answers (before any response headers)', async () => {
    fake = await startFakeOllama({ behaviour: 'hang' })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })
    const controller = new AbortController()

    const done = collect(provider.stream(messages, { signal: controller.signal }))
    await expect.poll(() => fake?.requests.length === 1, { timeout: 2000, message: 'the request to reach the fake' }).toBe(true)
    controller.abort()
    expect(await done).toEqual([])
    expect(await fake.requests[0]?.closed).toBe('aborted')
    expect(fake.abortedRequests).toBe(1)
  }, 3000)

  it('closes the HTTP request when the consumer stops reading', async () => {
    fake = await startFakeOllama({ reply: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 20 })
    const provider = ollamaProvider({ host: fake.url, model: 'llama3.2' })

    for await (const delta of provider.stream(messages)) {
      expect(delta).toBe('w0 ')
      break
    }
    expect(await fake.requests[0]?.closed).toBe('aborted')
  })
})
