/**
 * OpenAI, or any server speaking its chat-completions API (llama.cpp server,
 * LM Studio, vLLM, Ollama's /v1), through the official `openai` client.
 */
import type OpenAI from 'openai'
import { OPENAI_DEFAULT_BASE_URL } from './defaults.ts'
import { LlmError, abortError, toLlmError, wasAborted } from './errors.ts'
import type { LlmProvider, PromptMessage, StreamOptions } from './types.ts'

export { OPENAI_DEFAULT_BASE_URL }

export interface OpenAIProviderOptions {
  /** Optional for local servers, which usually accept any key. */
  apiKey?: string
  /** e.g. `http://127.0.0.1:8080/v1` for llama.cpp; defaults to OpenAI itself. */
  baseURL?: string
  model: string
}

export function openaiProvider ({ apiKey, baseURL, model }: OpenAIProviderOptions): LlmProvider {
  const host = baseURL ?? OPENAI_DEFAULT_BASE_URL
  const context = { provider: 'openai', model, host }
  // The client weighs ~14 MB of the agent's memory: loaded on the first question, so an
  // agent that never falls through to OpenAI never pays for it.
  let client: Promise<{ client: OpenAI, sdk: typeof import('openai') }> | undefined
  const connect = async (): Promise<{ client: OpenAI, sdk: typeof import('openai') }> => {
    const sdk = await import('openai')
    return {
      sdk,
      client: new sdk.default({
        // Passed explicitly so the client never falls back to reading env vars itself;
        // the client refuses to start without some key, and keyless local servers ignore it.
        apiKey: apiKey ?? 'no-key',
        baseURL: host,
        // A chain falls through to the next provider; retries would only delay that.
        maxRetries: 0
      })
    }
  }

  return {
    name: 'openai',
    model,
    async * stream (messages: PromptMessage[], options: StreamOptions = {}): AsyncGenerator<string> {
      const { signal } = options
      if (signal?.aborted === true) return
      client ??= connect()
      const { client: openai, sdk } = await client
      try {
        const completion = await openai.chat.completions.create({ model, messages, stream: true }, { signal })
        // Breaking out of this loop makes the client abort the HTTP request itself.
        for await (const chunk of completion) {
          const delta = chunk.choices[0]?.delta?.content
          if (delta != null && delta !== '') yield delta
        }
      } catch (err) {
        if (wasAborted(signal)) return
        throw translate(err, sdk, context)
      }
    }
  }
}

/** The SDK's own error classes, named here so errors.ts need not load the SDK to know them. */
function translate (err: unknown, sdk: typeof import('openai'), context: { provider: string, model: string, host: string }): Error {
  if (err instanceof sdk.APIUserAbortError) return abortError()
  if (err instanceof sdk.APIConnectionTimeoutError) {
    return new LlmError(`request to ${context.host} timed out`, { provider: context.provider, kind: 'timeout', cause: err })
  }
  return toLlmError(err, context)
}
