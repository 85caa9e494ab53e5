/**
 * A CSS media query, live: `prefers-reduced-motion`, a phone-sized screen.
 */
import { onScopeDispose, ref } from 'vue'
import type { Ref } from 'vue'

export function useMediaQuery (media: string): Ref<boolean> {
  const query = globalThis.matchMedia?.(media)
  const matches = ref(query?.matches ?? false)
  const update = (event: MediaQueryListEvent): void => { matches.value = event.matches }
  query?.addEventListener('change', update)
  onScopeDispose(() => { query?.removeEventListener('change', update) })
  return matches
}

/** Below this width the chat and the mesh views share the screen as tabs. */
export const NARROW_SCREEN = '(max-width: 820px)'
