/**
 * Ollama through the official `ollama` client, streaming /api/chat.
 */
import { Ollama } from 'ollama'
import type { AbortableAsyncIterator, ChatResponse } from 'ollama'
import { toLlmError, wasAborted } from './errors.ts'
import type { PromptMessage, LlmProvider, StreamOptions } from './types.ts'

export interface OllamaProviderOptions {
  /** e.g. `http://127.0.0.1:11434`. The client ignores OLLAMA_HOST, so the caller decides. */
  host: string
  model: string
}

export function ollamaProvider ({ host, model }: OllamaProviderOptions): LlmProvider {
  const context = { provider: 'ollama', model, host }
  return {
    name: 'ollama',
    model,
    async * stream (messages: PromptMessage[], options: StreamOptions = {}): AsyncGenerator<string> {
      const { signal } = options
      if (signal?.aborted === true) return
      // The client's own abort() only reaches a request once its response headers are in;
      // a server that never answers would hang on. Our signal goes into fetch itself, so
      // one client per call.
      const client = new Ollama({ host, fetch: fetchWithSignal(signal) })
      let response: AbortableAsyncIterator<ChatResponse> | undefined
      let finished = false
      const onAbort = (): void => { response?.abort() }
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        response = await client.chat({ model, messages, stream: true })
        for await (const part of response) {
          if (part.message?.content) yield part.message.content
        }
        finished = true
      } catch (err) {
        if (wasAborted(signal)) return
        throw toLlmError(err, context)
      } finally {
        signal?.removeEventListener('abort', onAbort)
        // The consumer stopped early (break, or an error downstream): close the HTTP request.
        if (!finished) response?.abort()
      }
    }
  }
}

function fetchWithSignal (signal: AbortSignal | undefined): typeof fetch {
  if (signal == null) return fetch
  return async (input, init = {}) => {
    const signals = init.signal == null ? [signal] : [init.signal, signal]
    return await fetch(input, { ...init, signal: AbortSignal.any(signals) })
  }
}

/**
 * A start-up check for the banner: is Ollama reachable, and is the model pulled?
 * Returns one line for the log; never throws.
 */
export async function checkOllama ({ host, model }: OllamaProviderOptions, timeoutMs = 1500): Promise<string> {
  const client = new Ollama({ host, fetch: fetchWithSignal(AbortSignal.timeout(timeoutMs)) })
  try {
    const { models } = await client.list()
    const pulled = models.some(m => m.name === model || m.name === `${model}:latest` || m.model === model)
    return pulled
      ? `ollama is running at ${host} with ${model}: Alien X answers with it`
      : `ollama is running at ${host} but ${model} is not pulled: run \`ollama pull ${model}\` (until then the next provider answers)`
  } catch (err) {
    return `ollama is not reachable at ${host} (${toLlmError(err, { provider: 'ollama', model, host }).message}); the next provider answers until it is`
  }
}
