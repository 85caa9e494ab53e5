/** The fakes other suites rely on: they must satisfy the real clients beyond chat. */
import { Ollama } from 'ollama'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOllama, startFakeOpenAI } from './test/fake-llm-servers.ts'
import type { FakeLlmServer, FakeMessage } from './test/fake-llm-servers.ts'

const servers: Array<{ close: () => Promise<void> }> = []
afterEach(async () => { await Promise.all(servers.splice(0).map(async server => { await server.close() })) })

describe('fake LLM servers', () => {
  it('fake Ollama answers the real client\'s list(), version() and chat, streamed or not', async () => {
    const fake = await startFakeOllama({ reply: 'whole answer' })
    servers.push(fake)
    const client = new Ollama({ host: fake.url })

    expect((await client.list()).models.map(m => m.name)).toEqual(['llama3.2:latest'])
    expect((await client.version()).version).toBeTypeOf('string')
    const whole = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
    expect(whole.message.content).toBe('whole answer')
    const parts: string[] = []
    for await (const part of await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      parts.push(part.message.content)
      if (part.done) expect(part).toMatchObject({ done_reason: 'stop', eval_count: 2 })
    }
    expect(parts.join('')).toBe('whole answer')
  })

  it('fake OpenAI answers the real client\'s models.list() and a non-streamed chat', async () => {
    const fake = await startFakeOpenAI()
    servers.push(fake)
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 })
    const models = await client.models.list()
    expect(models.data.map(m => m.id)).toContain('gpt-4o-mini')
    expect(fake.requests).toHaveLength(0) // only chat requests are recorded
    const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'once' }] })
    expect(completion.choices[0]?.message.content).toBe('(fake openai) you said: once')
  })

  it('a reply function sees the request\'s messages; setBehaviour applies to the next request', async () => {
    const seen: FakeMessage[][] = []
    const fake = await startFakeOpenAI({ reply: messages => { seen.push(messages); return `echo: ${messages.at(-1)?.content ?? ''}` } })
    servers.push(fake)
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 })
    const ask = async (): Promise<string> => {
      let text = ''
      for await (const chunk of await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'ping' }], stream: true })) {
        text += chunk.choices[0]?.delta.content ?? ''
      }
      return text
    }

    expect(await ask()).toBe('echo: ping')
    expect(seen).toEqual([[{ role: 'user', content: 'ping' }]])
    fake.setBehaviour('unauthorized')
    await expect(ask()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' })
    fake.setBehaviour('ok', { reply: 'back again' })
    expect(await ask()).toBe('back again')
    expect(fake.requests).toHaveLength(3)
  })

  it('counts open requests and closes promptly even with a request hanging', async () => {
    const fake = await startFakeOllama({ behaviour: 'hang' })
    const client = new Ollama({ host: fake.url })
    const pending = client.chat({ model: 'llama3.2', messages: [], stream: true }).catch((err: unknown) => err)
    await expect.poll(() => fake.openRequests === 1, { timeout: 2000, message: 'the hung request' }).toBe(true)

    const started = performance.now()
    await fake.close()
    expect(performance.now() - started).toBeLessThan(500)
    expect(await fake.requests[0]?.closed).toBe('aborted')
    expect(fake.openRequests).toBe(0)
    expect(await pending).toBeInstanceOf(Error)
  })
})
