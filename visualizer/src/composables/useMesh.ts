/**
 * The connection to the agent: phase, stages, transport, retry countdown, and
 * the address check that runs before anything is dialed.
 */
import { computed, onScopeDispose, ref, watch } from 'vue'
import { checkDialAddress } from '../../../mesh/address.ts'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'
import { modelLabel } from '../lib/model-label.ts'

export function useMesh (context: AppContext = useAppContext()) {
  const { store, controller, suggestedAddress } = context
  const state = store.state

  // A clock for the retry countdown; ticks only while we wait to retry.
  const now = ref(Date.now())
  const clock = setInterval(() => { if (state.connection.retry != null) now.value = Date.now() }, 250)
  onScopeDispose(() => { clearInterval(clock) })
  watch(() => state.connection.retry, () => { now.value = Date.now() }, { flush: 'sync' })

  const agent = computed(() => {
    const id = state.connection.agentPeerId
    return id != null && id !== '' ? state.peers.get(id) : undefined
  })

  return {
    connection: computed(() => state.connection),
    phase: computed(() => state.connection.phase),
    selfId: computed(() => state.selfId),
    agent,
    /** "ollama · llama3.2", or "no model — offline persona". */
    agentModel: computed(() => modelLabel(agent.value?.provider, agent.value?.model)),
    /** The agent does not receive what we publish (its history lacks our message). */
    unheard: computed(() => state.connection.phase === 'synced' && state.connection.agentHears === 'no'),
    /** How long the last join took, from the first stage's start to the last one's end. */
    joinMs: computed(() => {
      const stages = state.connection.stages
      const start = stages[0]?.startedAt
      const end = stages[stages.length - 1]?.endedAt
      return start != null && end != null ? Math.max(0, end - start) : undefined
    }),
    demo: computed(() => state.demo),
    suggestedAddress,
    retryInSeconds: computed(() => {
      const retry = state.connection.retry
      return retry == null ? undefined : Math.max(0, Math.ceil((retry.at - now.value) / 1000))
    }),
    /** The one-line explanation for an address that cannot work, or undefined when it may be dialed. */
    addressProblem (address: string): string | undefined {
      const check = checkDialAddress(address, 'browser')
      return check.ok ? undefined : check.reason
    },
    connect: async (address: string) => { await controller.connect(address) },
    reconnectNow: () => { controller.reconnectNow() },
    leave: async () => { await controller.leave() }
  }
}
