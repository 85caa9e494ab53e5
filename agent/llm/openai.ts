/**
 * OpenAI, or any server speaking its chat-completions API (llama.cpp server,
 * LM Studio, vLLM, Ollama's /v1), through the official `openai` client.
 */
import OpenAI from 'openai'
import { OPENAI_DEFAULT_BASE_URL } from './defaults.ts'
import { toLlmError, wasAborted } from './errors.ts'
import type { PromptMessage, LlmProvider, StreamOptions } from './types.ts'

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
  const client = new OpenAI({
    // Passed explicitly so the client never falls back to reading env vars itself;
    // the client refuses to start without some key, and keyless local servers ignore it.
    apiKey: apiKey ?? 'no-key',
    baseURL: host,
    // A chain falls through to the next provider; retries would only delay that.
    maxRetries: 0
  })
  const context = { provider: 'openai', model, host }

  return {
    name: 'openai',
    model,
    async * stream (messages: PromptMessage[], options: StreamOptions = {}): AsyncGenerator<string> {
      const { signal } = options
      if (signal?.aborted === true) return
      try {
        const completion = await client.chat.completions.create({ model, messages, stream: true }, { signal })
        // Breaking out of this loop makes the client abort the HTTP request itself.
        for await (const chunk of completion) {
          const delta = chunk.choices[0]?.delta?.content
          if (delta != null && delta !== '') yield delta
        }
      } catch (err) {
        if (wasAborted(signal)) return
        throw toLlmError(err, context)
      }
    }
  }
}
