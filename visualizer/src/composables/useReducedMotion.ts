/**
 * `prefers-reduced-motion`, live: every animation in the app asks this first.
 */
import type { Ref } from 'vue'
import { useMediaQuery } from './useMediaQuery.ts'

export function useReducedMotion (): Ref<boolean> {
  return useMediaQuery('(prefers-reduced-motion: reduce)')
}
