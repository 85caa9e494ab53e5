/**
 * How the model behind an agent (or one answer) reads: "ollama · llama3.2", or,
 * for the offline persona, that no model is attached — "offline" beside MESH
 * SYNCED read as if the mesh were down.
 */
const OFFLINE_PROVIDERS = new Set(['offline', 'offline persona'])

export const NO_MODEL = 'no model — offline persona'

export function modelLabel (provider: string | undefined, model: string | undefined): string | undefined {
  if (provider == null) return undefined
  if (OFFLINE_PROVIDERS.has(provider)) return NO_MODEL
  return model != null ? `${provider} · ${model}` : provider
}
