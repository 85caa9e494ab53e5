/**
 * An app context for composable tests: a real store, a controller that records
 * what the UI asked for, and no network.
 */
import { ref } from 'vue'
import type { AppContext } from '../src/app-context.ts'
import type { LessonLink } from '../src/lib/lesson-links.ts'
import type { MeshController } from '../src/net/controller.ts'
import { createMeshStore } from '../src/store/index.ts'
import { createTabSession } from '../src/persist/tab-session.ts'

export const SELF = '12D3KooWSe1fSe1fSe1fSe1fSe1fSe1fSe1fSe1fSe1fSe1fSe1f'
export const AGENT = '12D3KooWAgentAgentAgentAgentAgentAgentAgentAgentAgent'
export const TERMINAL = '12D3KooWTermTermTermTermTermTermTermTermTermTermTerm'
export const BROWSER_B = '12D3KooWBrowBrowBrowBrowBrowBrowBrowBrowBrowBrowBrow'

export function fakeContext (lessons: LessonLink[] = []) {
  const store = createMeshStore()
  const calls: Array<[string, ...unknown[]]> = []
  const controller: MeshController = {
    connect: async (address) => { calls.push(['connect', address]) },
    send: (text) => { calls.push(['send', text]); return true },
    resend: (id) => { calls.push(['resend', id]) },
    reconnectNow: () => { calls.push(['reconnectNow']) },
    leave: async () => { calls.push(['leave']) }
  }
  const context: AppContext = { store, controller, suggestedAddress: ref(''), lessons: ref(lessons), tabSession: createTabSession(undefined) }
  return { context, store, calls }
}
