/**
 * `prefers-reduced-motion`, live: every animation in the app asks this first.
 */
import { onScopeDispose, ref } from 'vue'
import type { Ref } from 'vue'

export function useReducedMotion (): Ref<boolean> {
  const query = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)')
  const reduced = ref(query?.matches ?? false)
  const update = (event: MediaQueryListEvent): void => { reduced.value = event.matches }
  query?.addEventListener('change', update)
  onScopeDispose(() => { query?.removeEventListener('change', update) })
  return reduced
}
