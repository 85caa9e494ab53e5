/**
 * Tries providers in order and answers with the first that produces a token.
 *
 * Falling through is only safe before the first token: after that, part of the
 * reply is already on its way to the chat, and starting over with another model
 * would stitch two different answers together. So a failure mid-reply surfaces
 * as an error on `deltas` instead.
 */
import { raceSignal } from 'race-signal'
import { LlmError, abortError, describeLlmError } from './errors.ts'
import type { PromptMessage, LlmProvider, StreamOptions } from './types.ts'

export { describeLlmError } from './errors.ts'

export interface ChainAnswer {
  provider: string
  model: string
  /**
   * The reply, starting with the first token that was already received. Iterate it
   * to the end, `break`, or abort the signal: each closes the provider's request.
   * Ends quietly on abort; throws an LlmError with a one-line message if the provider
   * fails mid-reply.
   */
  deltas: AsyncIterable<string>
  /** Reasons earlier providers were skipped, e.g. "ollama: connection refused at http://127.0.0.1:11434". */
  skipped: string[]
}

export interface ProviderChain {
  readonly providers: readonly LlmProvider[]
  /**
   * Resolves once a provider has produced its first token. Rejects with an AbortError
   * (see `isAbortError`) if the signal aborts first, or with an LlmError naming every
   * provider's failure if none answers.
   */
  answer (messages: PromptMessage[], options?: StreamOptions): Promise<ChainAnswer>
}

export interface ProviderChainOptions {
  /**
   * Skip a provider that has not produced its first token after this long (a hung
   * server, a model that takes forever to load). Unset: wait until the signal aborts.
   */
  firstTokenTimeoutMs?: number
}

export function providerChain (providers: LlmProvider[], log?: (line: string) => void, options: ProviderChainOptions = {}): ProviderChain {
  const list = [...providers]
  return {
    providers: list,
    async answer (messages, { signal } = {}) {
      const skipped: string[] = []
      for (const provider of list) {
        if (signal?.aborted === true) throw abortError()
        const attempt = await firstToken(provider, messages, skipped, signal, options.firstTokenTimeoutMs)
        if ('skip' in attempt) {
          const reason = `${provider.name}: ${attempt.skip}`
          skipped.push(reason)
          log?.(`llm: skipped ${reason}`)
          continue
        }
        log?.(`llm: ${provider.name} (${provider.model}) is answering${skipped.length > 0 ? ` after ${skipped.length} skipped` : ''}`)
        return { provider: provider.name, model: provider.model, skipped, deltas: attempt.deltas }
      }
      throw new LlmError(`no language model answered (${skipped.join('; ') || 'no providers configured'})`, { kind: 'unknown' })
    }
  }
}

type Attempt = { skip: string } | { deltas: AsyncIterable<string> }

async function firstToken (provider: LlmProvider, messages: PromptMessage[], skipped: readonly string[], signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<Attempt> {
  // One controller per attempt: it stops this provider's request whether the caller
  // aborts, the first token is too slow, or the consumer stops reading.
  const controller = new AbortController()
  const stop = (): void => { controller.abort() }
  signal?.addEventListener('abort', stop, { once: true })
  let timedOut = false
  const timer = timeoutMs == null ? undefined : setTimeout(() => { timedOut = true; stop() }, timeoutMs)
  let iterator: AsyncIterator<string> | undefined
  const cleanUp = (): void => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', stop)
    stop()
    // Not awaited: a provider that ignores its signal must not hold up the chat.
    iterator?.return?.().catch(() => {})
  }

  let first: string
  try {
    iterator = provider.stream(messages, { signal: controller.signal, skipped: [...skipped] })[Symbol.asyncIterator]()
    first = await nextText(iterator, controller.signal)
  } catch (err) {
    cleanUp()
    if (signal?.aborted === true) throw abortError()
    if (timedOut) return { skip: `no reply within ${formatMs(timeoutMs ?? 0)} (timed out)` }
    if (err === END) return { skip: 'replied with no text' }
    return { skip: describeLlmError(err, { provider: provider.name, model: provider.model }) }
  }
  clearTimeout(timer)
  return { deltas: rest(first, iterator, provider, controller.signal, cleanUp) }
}

async function * rest (first: string, iterator: AsyncIterator<string>, provider: LlmProvider, attemptSignal: AbortSignal, cleanUp: () => void): AsyncGenerator<string> {
  try {
    yield first
    while (true) {
      let text: string
      try {
        text = await nextText(iterator, attemptSignal)
      } catch (err) {
        // Only the caller's abort can fire attemptSignal once the first token is in.
        if (err === END || attemptSignal.aborted) return
        const reason = describeLlmError(err, { provider: provider.name, model: provider.model })
        throw new LlmError(`${provider.name} (${provider.model}) broke off mid-reply: ${reason}`, {
          provider: provider.name,
          kind: err instanceof LlmError && err.kind !== 'unknown' ? err.kind : 'stream',
          cause: err
        })
      }
      yield text
    }
  } finally {
    cleanUp()
  }
}

/** Thrown by nextText when the provider's stream is over. */
const END = Symbol('end of stream')

/** The next non-empty delta, or a rejection as soon as `signal` aborts, even if the provider lingers. */
async function nextText (iterator: AsyncIterator<string>, signal: AbortSignal): Promise<string> {
  while (true) {
    const result = await raceSignal(iterator.next(), signal, { translateError: abortError })
    if (result.done === true) throw END
    if (result.value !== '') return result.value
  }
}

function formatMs (ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
