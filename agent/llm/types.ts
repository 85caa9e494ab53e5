/**
 * The one interface every language-model backend implements, so the agent can
 * swap Ollama, an OpenAI-compatible server and the offline persona freely.
 */

/** One turn of the prompt a model is given (not a chat message on the mesh). */
export interface PromptMessage { role: 'system' | 'user' | 'assistant', content: string }

export interface StreamOptions {
  signal?: AbortSignal
  /**
   * Set by the provider chain: why earlier providers were skipped for this answer.
   * The offline persona repeats them so a user can see why no model answered.
   */
  skipped?: readonly string[]
}

export interface LlmProvider {
  readonly name: string // 'ollama' | 'openai' | 'offline'
  readonly model: string
  /**
   * Streams text deltas. Throws (before or during the stream) on failure; stops promptly
   * on abort. An aborted stream ends quietly (no error): the caller knows it aborted.
   */
  stream (messages: PromptMessage[], options?: StreamOptions): AsyncIterable<string>
}
