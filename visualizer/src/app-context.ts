/**
 * Wires the app once: the store, the network layer (or the demo harness), chat
 * persistence and the lesson list. Components reach it only through composables.
 */
import { inject, ref } from 'vue'
import type { InjectionKey, Ref } from 'vue'
import { startDemoMesh } from './demo/demo-mesh.ts'
import { fetchLessons } from './lib/lesson-links.ts'
import type { LessonLink } from './lib/lesson-links.ts'
import { agentAddressFromUrl, fetchAgentInfo } from './net/agent-info.ts'
import { createBrowserNode } from './net/browser-node.ts'
import type { MeshController } from './net/controller.ts'
import { loadBrowserIdentity } from './net/identity.ts'
import { MeshSession } from './net/mesh-session.ts'
import { persistHistory } from './persist/chat-history.ts'
import { createTabSession, rememberAgent } from './persist/tab-session.ts'
import type { TabSession } from './persist/tab-session.ts'
import { createMeshStore } from './store/index.ts'
import type { MeshStore } from './store/index.ts'

export interface AppContext {
  store: MeshStore
  controller: MeshController
  /** The agent address to prefill: from `?agent=` or the serving agent's agent.json. */
  suggestedAddress: Ref<string>
  lessons: Ref<LessonLink[]>
  /** The draft and the joined agent, kept across a reload of this tab. */
  tabSession: TabSession
}

export const APP_CONTEXT: InjectionKey<AppContext> = Symbol('llmesh-app')

export function createAppContext (location: Location): AppContext {
  const store = createMeshStore()
  const fromUrl = agentAddressFromUrl(location.search)
  const suggestedAddress = ref(fromUrl ?? '')
  const lessons = ref<LessonLink[]>([])
  void fetchLessons().then(list => { lessons.value = list })
  const storage = globalThis.sessionStorage as Storage | undefined
  const tabSession = createTabSession(storage)

  const demoPeers = Number.parseInt(new URLSearchParams(location.search).get('demo') ?? '', 10)
  if (Number.isInteger(demoPeers) && demoPeers > 0) {
    const demo = startDemoMesh(store, Math.min(demoPeers, 1000))
    return { store, controller: demo.controller, suggestedAddress, lessons, tabSession }
  }

  if (suggestedAddress.value === '') {
    void fetchAgentInfo().then(info => {
      if (info?.address != null && suggestedAddress.value === '') suggestedAddress.value = info.address
    })
  }

  let stopHistory: (() => void) | undefined
  // One identity per tab for its whole life: a node made again after *leave* is the same peer.
  let identity: ReturnType<typeof loadBrowserIdentity> | undefined
  const session = new MeshSession(store, {
    createNode: async (lan) => {
      identity ??= loadBrowserIdentity()
      const node = await createBrowserNode(await identity, lan)
      stopHistory ??= persistHistory(store, localStorage, node.peerId.toString())
      return node
    },
    fetchAgentInfo
  })
  addEventListener('pagehide', () => { stopHistory?.(); void session.stop() })

  // A reload of a joined tab rejoins the same agent, unless the URL now names another one.
  const resume = tabSession.agentAddress()
  rememberAgent(store, storage)
  if (resume != null && (fromUrl == null || fromUrl === resume)) {
    suggestedAddress.value = resume
    void session.connect(resume, { resume: true })
  }
  return { store, controller: session, suggestedAddress, lessons, tabSession }
}

export function useAppContext (): AppContext {
  const context = inject(APP_CONTEXT)
  if (context == null) throw new Error('useAppContext() needs the app context: call it inside <App>')
  return context
}
