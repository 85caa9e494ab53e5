/**
 * Turning whatever the `ollama` and `openai` clients (or fetch underneath them)
 * throw into one line a person can act on: these lines end up in chat messages
 * and in the agent's log, so they name the fix, not the stack.
 */
export type LlmErrorKind =
  | 'refused' | 'network' | 'timeout' | 'unauthorized' | 'not-found' | 'rate-limited'
  | 'server' | 'bad-request' | 'stream' | 'empty' | 'aborted' | 'unknown'

/** What a provider knows about the call that failed; it makes the one-liner specific. */
export interface LlmErrorContext {
  provider?: string
  model?: string
  /** Ollama host or OpenAI base URL. */
  host?: string
}

/** A provider failure whose message is already the human one-liner. */
export class LlmError extends Error {
  readonly provider: string | undefined
  readonly kind: LlmErrorKind
  readonly status: number | undefined

  constructor (message: string, details: { provider?: string, kind: LlmErrorKind, status?: number, cause?: unknown }) {
    super(message, { cause: details.cause })
    this.name = 'LlmError'
    this.provider = details.provider
    this.kind = details.kind
    this.status = details.status
  }
}

/**
 * Text with the credentials in any URL replaced by `***` (`http://user:pass@host`
 * → `http://***@host`): log lines name hosts, and a host may carry a password.
 */
export function redactCredentials (text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
}

/** One line saying why an LLM call failed, e.g. `401 unauthorized – check OPENAI_API_KEY`. */
export function describeLlmError (err: unknown, context: LlmErrorContext = {}): string {
  return classify(err, context).text
}

/** Wraps a client error as an LlmError (kept as `cause`); LlmErrors pass through. */
export function toLlmError (err: unknown, context: LlmErrorContext = {}): LlmError {
  if (err instanceof LlmError) return err
  const { kind, text, status } = classify(err, context)
  return new LlmError(text, { provider: context.provider, kind, status, cause: err })
}

/** True for fetch's AbortError and our own abortError() (openai.ts turns the SDK's abort into one). */
export function isAbortError (err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError'
}

/**
 * Whether the signal has aborted by now. A function, so TypeScript does not carry an
 * earlier `signal.aborted` check across the awaits in between.
 */
export function wasAborted (signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

/** The error `answer()` rejects with when its signal aborts before the first token. */
export function abortError (): Error {
  const err = new Error('aborted')
  err.name = 'AbortError'
  return err
}

interface Classified { kind: LlmErrorKind, text: string, status?: number }

// Node's fetch (undici) hides the socket error one or two `cause`s down.
const NETWORK_ERRORS: Record<string, (where: string) => Classified> = {
  ECONNREFUSED: where => ({ kind: 'refused', text: `connection refused at ${where}` }),
  ENOTFOUND: where => ({ kind: 'network', text: `host not found: ${where}` }),
  EAI_AGAIN: where => ({ kind: 'network', text: `host not found (DNS lookup failed): ${where}` }),
  ECONNRESET: where => ({ kind: 'network', text: `connection reset by ${where}` }),
  EPIPE: where => ({ kind: 'network', text: `connection to ${where} broke` }),
  UND_ERR_SOCKET: where => ({ kind: 'network', text: `connection to ${where} closed unexpectedly` }),
  EHOSTUNREACH: where => ({ kind: 'network', text: `${where} is unreachable` }),
  ENETUNREACH: where => ({ kind: 'network', text: `${where} is unreachable (no network route)` }),
  ETIMEDOUT: where => ({ kind: 'timeout', text: `connection to ${where} timed out` }),
  UND_ERR_CONNECT_TIMEOUT: where => ({ kind: 'timeout', text: `connection to ${where} timed out` }),
  UND_ERR_HEADERS_TIMEOUT: where => ({ kind: 'timeout', text: `${where} stopped responding` }),
  UND_ERR_BODY_TIMEOUT: where => ({ kind: 'timeout', text: `${where} stopped responding mid-reply` })
}

function classify (err: unknown, context: LlmErrorContext): Classified {
  if (err instanceof LlmError) return { kind: err.kind, text: err.message, status: err.status }
  if (isAbortError(err)) return { kind: 'aborted', text: 'aborted' }
  const provider = context.provider ?? guessProvider(err)

  const network = networkError(err)
  if (network != null) {
    const where = context.host ?? network.address ?? 'the server'
    const classified = (NETWORK_ERRORS[network.code] ?? (w => ({ kind: 'network', text: `network error ${network.code} at ${w}` })))(where)
    if (classified.kind === 'refused' && provider === 'ollama') classified.text += ' – is `ollama serve` running?'
    return classified
  }

  const status = statusOf(err)
  const detail = serverMessage(err, status)
  if (status != null) return classifyStatus(status, detail, provider, context)

  // The ollama client's words when a stream stops without its final `done` line.
  if (/did not receive done/i.test(detail)) return { kind: 'stream', text: 'the reply stream ended before it was finished' }
  return { kind: 'unknown', text: oneLine(detail === '' ? 'unknown error' : detail) }
}

function classifyStatus (status: number, detail: string, provider: string | undefined, context: LlmErrorContext): Classified {
  const openai = provider === 'openai'
  const said = detail === '' ? '' : `: ${oneLine(detail)}`
  if (status === 401) return { kind: 'unauthorized', status, text: `401 unauthorized${openai ? ' – check OPENAI_API_KEY' : said}` }
  if (status === 403) return { kind: 'unauthorized', status, text: `403 forbidden${openai ? ' – check OPENAI_API_KEY and its access' : said}` }
  if (status === 404) {
    const model = context.model ?? /model\s*["'`]([^"'`]+)["'`]/i.exec(detail)?.[1]
    if (provider === 'ollama') return { kind: 'not-found', status, text: `model "${model ?? '?'}" not found (404) – run \`ollama pull ${model ?? '<model>'}\`` }
    if (/model/i.test(detail)) return { kind: 'not-found', status, text: `model "${model ?? '?'}" not found (404) – check OPENAI_MODEL` }
    return { kind: 'not-found', status, text: `404 not found at ${context.host ?? 'the server'}${openai ? ' – check OPENAI_BASE_URL' : ''}` }
  }
  if (status === 429) return { kind: 'rate-limited', status, text: `429 rate limited or out of quota${said}` }
  if (status >= 500) return { kind: 'server', status, text: `${status} server error${said}` }
  return { kind: 'bad-request', status, text: `${status} request rejected${said}` }
}

function networkError (err: unknown): { code: string, address?: string } | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 5 && current != null && typeof current === 'object'; depth++) {
    const { code, address, port } = current as { code?: unknown, address?: unknown, port?: unknown }
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code) && code !== 'UND_ERR_ABORTED') {
      return { code, address: typeof address === 'string' ? `${address}${typeof port === 'number' ? `:${port}` : ''}` : undefined }
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function guessProvider (err: unknown): string | undefined {
  if (err instanceof Error && err.name === 'ResponseError') return 'ollama'
  return undefined
}

function statusOf (err: unknown): number | undefined {
  if (err == null || typeof err !== 'object') return undefined
  // `status` on openai's APIError, `status_code` on ollama's ResponseError
  const { status, status_code: statusCode } = err as { status?: unknown, status_code?: unknown }
  if (typeof status === 'number') return status
  if (typeof statusCode === 'number') return statusCode
  return undefined
}

/** The server's own words, without the status the clients prepend. */
function serverMessage (err: unknown, status: number | undefined): string {
  if (err == null) return ''
  if (typeof err !== 'object') return String(err)
  const { error, message } = err as { error?: unknown, message?: unknown }
  let text = ''
  if (typeof error === 'string') text = error
  else if (error != null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') text = (error as { message: string }).message
  else if (typeof message === 'string') text = message
  if (status != null && text.startsWith(`${status} `)) text = text.slice(String(status).length + 1)
  return text
}

function oneLine (text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat
}
