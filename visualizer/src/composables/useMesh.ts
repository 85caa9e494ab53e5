/**
 * The connection to the agent: phase, stages, transport, retry countdown, and
 * the address check that runs before anything is dialed.
 */
import { computed, onScopeDispose, ref, watch } from 'vue'
import { checkDialAddress } from '../../../mesh/address.ts'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'

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
