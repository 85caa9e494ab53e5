import { afterEach, describe, expect, it } from 'vitest'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { providerChain } from './chain.ts'
import { LlmError, describeLlmError, isAbortError } from './errors.ts'
import { createProviderChain } from './index.ts'
import { offlinePersona } from './offline.ts'
import type { MeshFacts } from './offline.ts'
import { ollamaProvider } from './ollama.ts'
import { openaiProvider } from './openai.ts'
import type { PromptMessage, LlmProvider } from './types.ts'
import { refusedUrl, startFakeOllama, startFakeOpenAI } from './test/fake-llm-servers.ts'
import type { FakeLlmServer, FakeOpenAIBehaviour } from './test/fake-llm-servers.ts'
import { collect, settle } from './test/helpers.ts'

const messages: PromptMessage[] = [
  { role: 'system', content: 'You are Alien X.' },
  { role: 'user', content: 'hello?' }
]
const facts: MeshFacts = { agentName: 'Alien X', selfPeerId: '12D3KooWAgentSelfPeerAAAAAA', peers: [], chatSubscribers: 1 }
const slowReply = Array.from({ length: 40 }, (_, i) => `w${i} `)

let ollama: FakeLlmServer | undefined
let openai: FakeLlmServer<FakeOpenAIBehaviour> | undefined
afterEach(async () => {
  await ollama?.close()
  await openai?.close()
  ollama = undefined
  openai = undefined
})

async function fakes (): Promise<{ ollama: FakeLlmServer, openai: FakeLlmServer<FakeOpenAIBehaviour> }> {
  ollama = await startFakeOllama({ reply: 'ollama words' })
  openai = await startFakeOpenAI({ reply: 'openai words' })
  return { ollama, openai }
}

function providersFor (ollamaHost: string, openaiBase: string): LlmProvider[] {
  return [
    ollamaProvider({ host: ollamaHost, model: 'llama3.2' }),
    openaiProvider({ apiKey: 'sk-test', baseURL: openaiBase, model: 'gpt-4o-mini' }),
    offlinePersona(() => facts)
  ]
}

describe('providerChain', () => {
  it('answers with the first provider and passes the messages through unchanged', async () => {
    const servers = await fakes()
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(answer).toMatchObject({ provider: 'ollama', model: 'llama3.2', skipped: [] })
    expect((await collect(answer.deltas)).join('')).toBe('ollama words')
    expect(servers.ollama.requests[0]?.body.messages).toEqual(messages)
    expect(servers.openai.requests).toHaveLength(0)
  })

  it('falls through a refused Ollama to OpenAI at once and says why', async () => {
    const servers = await fakes()
    const refused = await refusedUrl()
    const lines: string[] = []
    const chain = providerChain(providersFor(refused, servers.openai.url), line => { lines.push(line) })

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('openai')
    expect(answer.model).toBe('gpt-4o-mini')
    expect(answer.skipped).toEqual([`ollama: connection refused at ${refused} – is \`ollama serve\` running?`])
    expect((await collect(answer.deltas)).join('')).toBe('openai words')
    expect(lines.join('\n')).toContain('connection refused')
    expect(lines.join('\n')).toContain('openai (gpt-4o-mini) is answering')
  })

  it('a failing Ollama is tried once and skipped: no retry, no backoff', async () => {
    const servers = await fakes()
    // A server that hangs up on every connection, counting them.
    let connections = 0
    const hangUp = createServer(socket => { connections++; socket.destroy() })
    await new Promise<void>(resolve => hangUp.listen(0, '127.0.0.1', resolve))
    try {
      const chain = providerChain(providersFor(`http://127.0.0.1:${(hangUp.address() as AddressInfo).port}`, servers.openai.url))
      const answer = await chain.answer(messages)
      expect(answer.provider).toBe('openai')
      expect(answer.skipped).toHaveLength(1)
      expect(connections).toBe(1)
    } finally {
      await new Promise(resolve => hangUp.close(resolve))
    }
  })

  it('Ollama 404 and OpenAI 401 → the offline persona answers, naming both reasons in the log only', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('missing-model')
    servers.openai.setBehaviour('unauthorized')
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('offline')
    expect(answer.model).toBe('alien-x-offline')
    expect(answer.skipped).toEqual([
      'ollama: model "llama3.2" not found (404) – run `ollama pull llama3.2`',
      'openai: 401 unauthorized – check OPENAI_API_KEY'
    ])
    const text = (await collect(answer.deltas)).join('')
    expect(text).toContain('my model is unavailable')
    expect(text).toContain('ollama pull llama3.2')
    expect(text).not.toContain('401')
  })

  it('a 500 falls through to the next provider', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('server-error')
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('openai')
    expect(answer.skipped).toEqual(['ollama: 500 server error: llama runner process has terminated: exit status 2'])
  })

  it('an error after the first token does not fall through: deltas throw one clear line', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('error-mid-stream', { reply: ['The ', 'mesh ', 'is ', 'vast'] })
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('ollama')
    const seen: string[] = []
    const result = await settle((async () => { for await (const delta of answer.deltas) seen.push(delta) })())
    expect(seen).toEqual(['The ', 'mesh '])
    expect(result.ok).toBe(false)
    const error = (result as { error: LlmError }).error
    expect(error).toBeInstanceOf(LlmError)
    expect(error.message).toBe('ollama (llama3.2) broke off mid-reply: an error was encountered while running the model: unexpected EOF')
    expect(error.message).not.toContain('\n')
    expect(servers.openai.requests).toHaveLength(0)
  })

  it('resolves on the first token, while the rest is still streaming', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('ok', { reply: slowReply.slice(0, 8), chunkDelayMs: 30 })
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(servers.ollama.openRequests).toBe(1)
    expect(await collect(answer.deltas)).toEqual(slowReply.slice(0, 8))
    await expect.poll(() => servers.ollama.openRequests === 0, { timeout: 2000, message: 'the request to finish' }).toBe(true)
  })

  it('abort mid-stream ends the deltas quietly and closes the request', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('ok', { reply: slowReply, chunkDelayMs: 30 })
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))
    const controller = new AbortController()

    const answer = await chain.answer(messages, { signal: controller.signal })
    const seen: string[] = []
    for await (const delta of answer.deltas) {
      seen.push(delta)
      if (seen.length === 3) controller.abort()
    }
    expect(seen).toEqual(slowReply.slice(0, 3))
    expect(await servers.ollama.requests[0]?.closed).toBe('aborted')
    expect(servers.openai.requests).toHaveLength(0)
  })

  it('abort before the first token rejects with an AbortError and tries nothing else', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('hang')
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))
    const controller = new AbortController()

    const pending = settle(chain.answer(messages, { signal: controller.signal }))
    await expect.poll(() => servers.ollama.requests.length === 1, { timeout: 2000, message: 'the Ollama request' }).toBe(true)
    controller.abort()
    const result = await pending
    expect(result.ok).toBe(false)
    expect(isAbortError((result as { error: unknown }).error)).toBe(true)
    expect(await servers.ollama.requests[0]?.closed).toBe('aborted')
    expect(servers.openai.requests).toHaveLength(0)
  }, 3000)

  it('skips a provider that sends no first token in time, and closes its request', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('hang')
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url), undefined, { firstTokenTimeoutMs: 150 })

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('openai')
    expect(answer.skipped).toEqual(['ollama: no reply within 150 ms (timed out)'])
    expect(await servers.ollama.requests[0]?.closed).toBe('aborted')
  }, 3000)

  it('skips a provider whose reply is empty', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('ok', { reply: [] })
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('openai')
    expect(answer.skipped).toEqual(['ollama: replied with no text'])
  })

  it('closes the request when the consumer stops reading early', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('ok', { reply: slowReply, chunkDelayMs: 30 })
    const chain = providerChain(providersFor(servers.ollama.url, servers.openai.url))

    const answer = await chain.answer(messages)
    for await (const delta of answer.deltas) {
      expect(delta).toBe('w0 ')
      break
    }
    expect(await servers.ollama.requests[0]?.closed).toBe('aborted')
  })

  it('rejects with every reason when no provider answers (no offline persona)', async () => {
    const servers = await fakes()
    servers.openai.setBehaviour('server-error')
    const refused = await refusedUrl()
    const chain = providerChain(providersFor(refused, servers.openai.url).slice(0, 2))

    await expect(chain.answer(messages)).rejects.toThrow(
      `no language model answered (ollama: connection refused at ${refused} – is \`ollama serve\` running?; openai: 500 server error: The server had an error while processing your request. Sorry about that!)`)
  })
})

describe('createProviderChain', () => {
  it('builds Ollama → OpenAI → offline, with OpenAI only when a key or base URL is given', () => {
    const names = (config: Parameters<typeof createProviderChain>[0]): string[] =>
      createProviderChain(config, () => facts).providers.map(p => `${p.name}:${p.model}`)

    expect(names({})).toEqual(['ollama:llama3.2', 'offline:alien-x-offline'])
    expect(names({ openaiApiKey: 'sk-x' })).toEqual(['ollama:llama3.2', 'openai:gpt-4o-mini', 'offline:alien-x-offline'])
    expect(names({ openaiBaseUrl: 'http://127.0.0.1:8080/v1', openaiModel: 'qwen', model: 'mistral' }))
      .toEqual(['ollama:mistral', 'openai:qwen', 'offline:alien-x-offline'])
    expect(names({ offlineOnly: true, openaiApiKey: 'sk-x' })).toEqual(['offline:alien-x-offline'])
  })

  it('talks to the configured hosts', async () => {
    const servers = await fakes()
    servers.ollama.setBehaviour('missing-model')
    const chain = createProviderChain({ ollamaHost: servers.ollama.url, openaiBaseUrl: servers.openai.url, openaiModel: 'local' }, () => facts)

    const answer = await chain.answer(messages)
    expect(answer.provider).toBe('openai')
    expect(servers.ollama.requests[0]?.body.model).toBe('llama3.2')
    expect(servers.openai.requests[0]?.body.model).toBe('local')
    expect((await collect(answer.deltas)).join('')).toBe('openai words')
  })
})

describe('describeLlmError', () => {
  it('gives one line for anything thrown', () => {
    expect(describeLlmError(new LlmError('already described', { kind: 'server' }))).toBe('already described')
    expect(describeLlmError('a\nmultiline\n  string')).toBe('a multiline string')
    expect(describeLlmError(undefined)).toBe('unknown error')
    expect(describeLlmError(new Error('x'.repeat(500))).length).toBeLessThanOrEqual(200)
  })
})
