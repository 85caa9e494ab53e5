/**
 * How the connection to the agent moves through its phases and named stages.
 */
import { freshStages } from './state.ts'
import type { MeshState } from './state.ts'
import type { StageName, StageState, TransportName } from './types.ts'

export function connectionActions (state: MeshState) {
  const stage = (name: StageName) => state.connection.stages.find(s => s.name === name)

  return {
    /**
     * A first dial (from the welcome screen), a resumed one (the page was
     * reloaded while joined), or a retry after the agent went away.
     */
    beginConnect (agentAddress: string, agentPeerId: string, mode: 'first' | 'resume' | 'retry'): void {
      state.connection.agentAddress = agentAddress
      state.connection.agentPeerId = agentPeerId
      state.connection.stages = freshStages()
      state.connection.failure = undefined
      if (mode !== 'retry') {
        state.connection.phase = 'connecting'
        state.connection.retry = undefined
        state.connection.lostReason = undefined
        state.connection.resumed = mode === 'resume'
        state.connection.agentHears = undefined
      }
    },

    /** Mark `name` active; every earlier stage still waiting or active is done. */
    stageActive (name: StageName, detail?: string, at = Date.now()): void {
      for (const s of state.connection.stages) {
        if (s.name === name) {
          s.status = 'active'
          s.startedAt = at
          if (detail != null) s.detail = detail
          return
        }
        if (s.status === 'waiting' || s.status === 'active') finish(state.connection.stages, s, at)
      }
    },

    stageDone (name: StageName, detail?: string, at = Date.now()): void {
      const s = stage(name)
      if (s == null) return
      if (detail != null) s.detail = detail
      finish(state.connection.stages, s, at)
    },

    stageFailed (name: StageName, reason: string): void {
      const s = stage(name)
      if (s != null) s.status = 'failed'
      state.connection.failure = { stage: name, reason }
      if (state.connection.phase === 'connecting') state.connection.phase = 'failed'
    },

    /** `usedAddress`: the address that joined, when it is not the one typed. */
    synced (transport: TransportName, usedAddress?: string): void {
      for (const s of state.connection.stages) if (s.status !== 'done') finish(state.connection.stages, s, Date.now())
      state.connection.phase = 'synced'
      state.connection.transport = transport
      state.connection.usedAddress = usedAddress
      state.connection.retry = undefined
      state.connection.lostReason = undefined
      state.connection.failure = undefined
    },

    /** The agent went away: say so at once; chat queues until it is back. */
    agentLost (reason: string): void {
      if (state.connection.phase !== 'synced') return
      state.connection.phase = 'offline'
      state.connection.lostReason = reason
      state.connection.transport = undefined
    },

    /** What the agent's history says about our messages: it has them, or one is missing. */
    agentHearing (hears: 'yes' | 'no'): void {
      state.connection.agentHears = hears
    },

    retryScheduled (attempt: number, at: number, lastError?: string): void {
      state.connection.retry = { attempt, at, ...(lastError != null ? { lastError } : {}) }
    },

    /** Back to the welcome screen, e.g. to paste another address. */
    reset (): void {
      state.connection.phase = 'welcome'
      state.connection.stages = freshStages()
      state.connection.failure = undefined
      state.connection.retry = undefined
      state.connection.transport = undefined
      state.connection.resumed = undefined
      state.connection.usedAddress = undefined
      state.connection.agentHears = undefined
      state.connection.lostReason = undefined
    }
  }
}

/**
 * Done, with its time. A stage that never said it started (e.g. Noise inside
 * WebRTC-direct) began when the stage before it ended, so every stage has a time.
 */
function finish (stages: StageState[], s: StageState, at: number): void {
  if (s.status === 'done') return
  s.status = 'done'
  if (s.startedAt == null) {
    const before = stages.slice(0, stages.indexOf(s)).reverse().find(p => p.endedAt != null)
    s.startedAt = Math.min(at, before?.endedAt ?? at)
  }
  s.endedAt = at
  s.ms = Math.max(0, at - s.startedAt)
}
