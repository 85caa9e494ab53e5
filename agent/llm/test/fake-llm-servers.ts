/**
 * Test stand-ins for Ollama and OpenAI-compatible servers: real HTTP on
 * 127.0.0.1 speaking the real wire formats (Ollama's NDJSON /api/chat, OpenAI's
 * SSE /v1/chat/completions), so the real `ollama` and `openai` clients — and
 * everything built on them — run unchanged against them. No model, no network.
 *
 *   const ollama = await startFakeOllama({ reply: 'Hello from the stars' })
 *   ollamaProvider({ host: ollama.url, model: 'llama3.2' })        // url: http://127.0.0.1:PORT
 *   const openai = await startFakeOpenAI({ reply: messages => `echo ${messages.at(-1)?.content}` })
 *   openaiProvider({ baseURL: openai.url, apiKey: 'sk-test', model: 'gpt-4o-mini' })   // url ends in /v1
 *
 *   ollama.setBehaviour('missing-model')                 // takes effect on the next request
 *   ollama.setBehaviour('ok', { reply: ['a', 'b'], chunkDelayMs: 20 })
 *   ollama.requests[0]?.body.messages                     // what the client sent (chat requests only)
 *   ollama.requests[0]?.authorization                     // the Authorization header, if any
 *   await ollama.requests[0]?.closed                      // 'finished' | 'aborted' (client hung up first)
 *   ollama.openRequests; ollama.abortedRequests           // counts, chat requests only
 *   await ollama.close()
 *   await refusedUrl()                                    // an http://127.0.0.1:PORT nobody listens on
 *
 * Behaviours: 'ok' streams the reply; 'missing-model' → 404; 'server-error' → 500;
 * 'unauthorized' (OpenAI only) → 401; 'error-mid-stream' → two chunks, then an
 * error in the stream; 'hang' → accepts the request and never answers.
 * Error bodies have the shapes the real servers send; `stream: false` requests get
 * one JSON reply, as from the real servers. A string reply is streamed
 * a word per chunk; an array is streamed as exactly those chunks; a function gets
 * the request's messages and body (so a test can answer from the prompt).
 */
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type FakeBehaviour = 'ok' | 'missing-model' | 'server-error' | 'error-mid-stream' | 'hang'
export type FakeOpenAIBehaviour = FakeBehaviour | 'unauthorized'

export interface FakeMessage { role: string, content: string }

export type FakeReply = string | string[] | ((messages: FakeMessage[], body: FakeRequestBody) => string | string[])

export interface FakeRequestBody {
  model?: string
  messages?: FakeMessage[]
  stream?: boolean
  [key: string]: unknown
}

export interface FakeServerOptions<B extends string = FakeBehaviour> {
  behaviour?: B
  /** Default: `(fake ollama|openai) you said: <last user message>`. */
  reply?: FakeReply
  /** Pause before each chunk. Default 0. */
  chunkDelayMs?: number
  /** Overrides the error text of 'server-error', 'error-mid-stream'. */
  errorMessage?: string
}

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  authorization: string | undefined
  body: FakeRequestBody
  /** Resolves when the exchange ends: 'aborted' if the client closed the connection before the server finished. */
  closed: Promise<'finished' | 'aborted'>
}

export interface FakeLlmServer<B extends string = FakeBehaviour> {
  /** Ollama: the host to pass to the client. OpenAI: the baseURL (ends in /v1). */
  readonly url: string
  /** Every chat request, oldest first. */
  readonly requests: RecordedRequest[]
  readonly openRequests: number
  readonly abortedRequests: number
  /** Changes how later requests are answered; omitted fields keep their value. */
  setBehaviour: (behaviour: B, changes?: Omit<FakeServerOptions<B>, 'behaviour'>) => void
  close: () => Promise<void>
}

export async function startFakeOllama (options: FakeServerOptions = {}): Promise<FakeLlmServer> {
  return await startFake('ollama', options, '', OLLAMA_WIRE)
}

export async function startFakeOpenAI (options: FakeServerOptions<FakeOpenAIBehaviour> = {}): Promise<FakeLlmServer<FakeOpenAIBehaviour>> {
  return await startFake('openai', options, '/v1', OPENAI_WIRE)
}

/** A URL whose port was just closed: connecting to it is refused at once. */
export async function refusedUrl (): Promise<string> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => { resolve() }))
  return `http://127.0.0.1:${port}`
}

/** How one server kind puts things on the wire. */
interface Wire {
  chatPath: string
  contentType: string
  chunk: (text: string, model: string) => string
  end: (model: string, chunks: number) => string
  midStreamError: (message: string) => string
  /** The body of a non-streamed reply (`stream: false`). */
  whole: (text: string, model: string) => unknown
  streams: (body: FakeRequestBody) => boolean
  /** Status and JSON body of a failed request. */
  failure: (behaviour: string, model: string, message: string | undefined) => [number, unknown]
  /** GET endpoints: path → body. */
  info: Record<string, () => unknown>
}

const OLLAMA_WIRE: Wire = {
  chatPath: '/api/chat',
  contentType: 'application/x-ndjson',
  chunk: (text, model) => `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: text }, done: false })}\n`,
  end: (model, chunks) => `${JSON.stringify({
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: 1_000_000 * (chunks + 10),
    load_duration: 1_000_000,
    prompt_eval_count: 26,
    prompt_eval_duration: 2_000_000,
    eval_count: chunks,
    eval_duration: 1_000_000 * chunks
  })}\n`,
  midStreamError: message => `${JSON.stringify({ error: message })}\n`,
  whole: (text, model) => ({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: text }, done_reason: 'stop', done: true, eval_count: 1 }),
  // Ollama streams unless told not to.
  streams: body => body.stream !== false,
  failure: (behaviour, model, message) => behaviour === 'missing-model'
    ? [404, { error: `model "${model}" not found, try pulling it first` }]
    : [500, { error: message ?? 'llama runner process has terminated: exit status 2' }],
  info: {
    '/api/tags': () => ({
      models: [{
        name: 'llama3.2:latest',
        model: 'llama3.2:latest',
        modified_at: '2025-01-01T00:00:00Z',
        size: 2019393189,
        digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
        details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' }
      }]
    }),
    '/api/version': () => ({ version: '0.6.4-fake' })
  }
}

const OPENAI_WIRE: Wire = {
  chatPath: '/v1/chat/completions',
  contentType: 'text/event-stream',
  chunk: (text, model) => sse(completionChunk(model, { content: text }, null)),
  end: model => sse(completionChunk(model, {}, 'stop')) + 'data: [DONE]\n\n',
  midStreamError: message => sse({ error: { message, type: 'server_error', param: null, code: null } }),
  whole: (text, model) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }
  }),
  streams: body => body.stream === true,
  failure: (behaviour, model, message) => {
    if (behaviour === 'unauthorized') {
      return [401, openaiError('Incorrect API key provided: sk-te***st. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key')]
    }
    if (behaviour === 'missing-model') {
      return [404, openaiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')]
    }
    return [500, openaiError(message ?? 'The server had an error while processing your request. Sorry about that!', 'server_error', null)]
  },
  info: {
    '/v1/models': () => ({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' }] })
  }
}

function completionChunk (model: string, delta: Record<string, string>, finishReason: string | null): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }]
  }
}

function openaiError (message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } }
}

function sse (data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`
}

async function startFake<B extends string> (kind: string, initial: FakeServerOptions<B>, basePath: string, wire: Wire): Promise<FakeLlmServer<B>> {
  let settings: FakeServerOptions<B> = { ...initial }
  const requests: RecordedRequest[] = []
  let open = 0
  let aborted = 0

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => { res.destroy() })
  })

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const info = wire.info[path]
    if (req.method === 'GET' && info != null) {
      sendJson(res, 200, info())
      return
    }
    if (req.method !== 'POST' || path !== wire.chatPath) {
      sendJson(res, 404, { error: `${kind} fake: no route ${req.method ?? ''} ${path}` })
      return
    }

    const body = parseBody(await readBody(req))
    // Settings as they were when the request came in, so setBehaviour never changes a reply halfway.
    const { behaviour = 'ok', reply, chunkDelayMs = 0, errorMessage } = settings
    let finishedByServer = false
    let gone = false
    let resolveClosed!: (outcome: 'finished' | 'aborted') => void
    const closed = new Promise<'finished' | 'aborted'>(resolve => { resolveClosed = resolve })
    open++
    res.on('close', () => {
      gone = true
      open--
      const outcome = finishedByServer ? 'finished' : 'aborted'
      if (outcome === 'aborted') aborted++
      resolveClosed(outcome)
    })
    requests.push({ method: req.method, path, headers: req.headers, authorization: req.headers.authorization, body, closed })

    const model = body.model ?? 'unknown'
    if (behaviour === 'hang') return
    const streaming = wire.streams(body)
    if (behaviour !== 'ok' && (behaviour !== 'error-mid-stream' || !streaming)) {
      const [status, json] = wire.failure(behaviour === 'error-mid-stream' ? 'server-error' : behaviour, model, errorMessage)
      finishedByServer = true
      sendJson(res, status, json)
      return
    }

    const chunks = replyChunks(reply, body, kind)
    if (!streaming) {
      finishedByServer = true
      sendJson(res, 200, wire.whole(chunks.join(''), model))
      return
    }
    res.writeHead(200, { 'Content-Type': wire.contentType, 'Cache-Control': 'no-cache' })
    res.flushHeaders()
    const sent = behaviour === 'error-mid-stream' ? chunks.slice(0, 2) : chunks
    for (const text of sent) {
      if (chunkDelayMs > 0) await sleep(chunkDelayMs)
      if (gone) return
      res.write(wire.chunk(text, model))
    }
    if (chunkDelayMs > 0) await sleep(chunkDelayMs)
    if (gone) return
    finishedByServer = true
    res.end(behaviour === 'error-mid-stream'
      ? wire.midStreamError(errorMessage ?? 'an error was encountered while running the model: unexpected EOF')
      : wire.end(model, chunks.length))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => { resolve() })
  })
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined

  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    get openRequests () { return open },
    get abortedRequests () { return aborted },
    setBehaviour (behaviour, changes = {}) {
      settings = { ...settings, ...changes, behaviour }
    },
    async close () {
      closing ??= new Promise<void>(resolve => {
        server.close(() => { resolve() })
        // Hung requests and keep-alive sockets would hold close() open forever.
        server.closeAllConnections()
      })
      await closing
    }
  }
}

function replyChunks (reply: FakeReply | undefined, body: FakeRequestBody, kind: string): string[] {
  const messages = body.messages ?? []
  const value = typeof reply === 'function'
    ? reply(messages, body)
    : reply ?? `(fake ${kind}) you said: ${[...messages].reverse().find(m => m.role === 'user')?.content ?? ''}`
  return Array.isArray(value) ? value : value.split(/(?<=\s)(?=\S)/)
}

function sendJson (res: ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(json))
}

async function readBody (req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseBody (text: string): FakeRequestBody {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed != null && typeof parsed === 'object' ? parsed as FakeRequestBody : {}
  } catch {
    return {}
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
