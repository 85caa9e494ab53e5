/** The provider defaults, stated once: the options table, the CLI and the offline persona's advice read them. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434'
export const DEFAULT_OLLAMA_MODEL = 'llama3.2'
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini'
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1'
