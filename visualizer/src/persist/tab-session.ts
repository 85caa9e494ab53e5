/**
 * What this tab needs across a reload, in sessionStorage (per tab, gone when
 * the tab closes): the agent it was joined to, so a reload rejoins it, and the
 * message being typed, so a reload does not lose it. *leave* forgets the agent.
 */
import { watch } from 'vue'
import type { MeshStore } from '../store/index.ts'

const AGENT_KEY = 'llmesh:tab:agent'
const DRAFT_KEY = 'llmesh:tab:draft'

export interface TabSession {
  /** The agent to rejoin after a reload, if this tab was in the mesh. */
  agentAddress: () => string | undefined
  draft: () => string
  saveDraft: (text: string) => void
}

export function createTabSession (storage: Storage | undefined): TabSession {
  const get = (key: string): string | undefined => {
    try { return storage?.getItem(key) ?? undefined } catch { return undefined }
  }
  return {
    agentAddress: () => get(AGENT_KEY),
    draft: () => get(DRAFT_KEY) ?? '',
    saveDraft: (text) => { write(storage, DRAFT_KEY, text === '' ? undefined : text) }
  }
}

/** Remember the agent once joined; forget it when the person leaves (back to the welcome screen). */
export function rememberAgent (store: MeshStore, storage: Storage | undefined): () => void {
  return watch(() => store.state.connection.phase, phase => {
    if (phase === 'synced') write(storage, AGENT_KEY, store.state.connection.agentAddress)
    if (phase === 'welcome') write(storage, AGENT_KEY, undefined)
  })
}

function write (storage: Storage | undefined, key: string, value: string | undefined): void {
  try {
    if (value == null) storage?.removeItem(key)
    else storage?.setItem(key, value)
  } catch {
    // Storage disabled or full: a reload then starts from the welcome screen, nothing worse.
  }
}
