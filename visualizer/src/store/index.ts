/**
 * `createMeshStore()`: the state plus every action that may change it.
 * The app makes one (see `src/app-context.ts`); tests make as many as they like.
 */
import { chatActions } from './chat-actions.ts'
import { connectionActions } from './connection-actions.ts'
import { peerActions } from './peer-actions.ts'
import { pulseActions } from './pulse-actions.ts'
import { createState } from './state.ts'
import type { MeshState } from './state.ts'

export function createMeshStore () {
  const state = createState()
  return {
    state: state as Readonly<MeshState>,
    connection: connectionActions(state),
    peers: peerActions(state),
    chat: chatActions(state),
    pulses: pulseActions(state),
    setDemo (on: boolean): void { state.demo = on }
  }
}

export type MeshStore = ReturnType<typeof createMeshStore>
export type { MeshState }
export * from './types.ts'
