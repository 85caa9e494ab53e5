/**
 * The agent's LLM layer: providers behind one streaming interface, and the
 * default chain Ollama → OpenAI-compatible → offline Alien X persona.
 *
 * Reads no environment variables: agent/config.ts maps OLLAMA_HOST,
 * OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL into ProviderChainConfig.
 */
import { providerChain } from './chain.ts'
import { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL } from './defaults.ts'
import type { ProviderChain } from './chain.ts'
import { offlinePersona } from './offline.ts'
import type { MeshFacts } from './offline.ts'
import { ollamaProvider } from './ollama.ts'
import { openaiProvider } from './openai.ts'
import type { LlmProvider } from './types.ts'

export type { PromptMessage, LlmProvider, StreamOptions } from './types.ts'
export { providerChain, describeLlmError } from './chain.ts'
export type { ChainAnswer, ProviderChain, ProviderChainOptions } from './chain.ts'
export { LlmError, isAbortError, redactCredentials, toLlmError } from './errors.ts'
export type { LlmErrorKind, LlmErrorContext } from './errors.ts'
export { checkOllama, ollamaProvider } from './ollama.ts'
export type { OllamaProviderOptions } from './ollama.ts'
export { openaiProvider, OPENAI_DEFAULT_BASE_URL } from './openai.ts'
export type { OpenAIProviderOptions } from './openai.ts'
export { offlinePersona, offlineReply, OFFLINE_MODEL } from './offline.ts'
export type { MeshFacts, MeshPeerFact } from './offline.ts'

export { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL }
/**
 * Long enough for Ollama to load a small model from disk on a slow machine, short
 * enough that a hung server still leaves time for the offline persona to answer.
 */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 30_000

export interface ProviderChainConfig {
  ollamaHost?: string
  /** Ollama model. */
  model?: string
  openaiApiKey?: string
  openaiBaseUrl?: string
  openaiModel?: string
  /** Only the offline persona answers. */
  offlineOnly?: boolean
  /** Skip a provider that has not sent its first token by then. */
  firstTokenTimeoutMs?: number
}

export function createProviderChain (config: ProviderChainConfig, getFacts: () => MeshFacts, log?: (line: string) => void): ProviderChain {
  const providers: LlmProvider[] = []
  if (config.offlineOnly !== true) {
    providers.push(ollamaProvider({ host: config.ollamaHost ?? DEFAULT_OLLAMA_HOST, model: config.model ?? DEFAULT_OLLAMA_MODEL }))
    // Without a key or a base URL there is nothing to talk to; trying would only add a skip line.
    if (nonEmpty(config.openaiApiKey) || nonEmpty(config.openaiBaseUrl)) {
      providers.push(openaiProvider({
        apiKey: nonEmpty(config.openaiApiKey) ? config.openaiApiKey : undefined,
        baseURL: nonEmpty(config.openaiBaseUrl) ? config.openaiBaseUrl : undefined,
        model: config.openaiModel ?? DEFAULT_OPENAI_MODEL
      }))
    }
  }
  providers.push(offlinePersona(getFacts))
  return providerChain(providers, log, { firstTokenTimeoutMs: config.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS })
}

function nonEmpty (value: string | undefined): value is string {
  return value != null && value.trim() !== ''
}
