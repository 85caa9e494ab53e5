/**
 * Pulses: every message travels visibly through the topology picture.
 */
import type { MeshState } from './state.ts'

/** How long a pulse lives; the topology view animates it within this time. */
export const PULSE_MS = 1400
/** Bursts of messages must not pile up unbounded animations. */
const MAX_PULSES = 60

let nextPulseId = 1

export function pulseActions (state: MeshState) {
  return {
    pulse (path: string[], at = Date.now()): void {
      if (path.length < 2) return
      state.pulses.push({ id: nextPulseId++, path, at })
      if (state.pulses.length > MAX_PULSES) state.pulses.splice(0, state.pulses.length - MAX_PULSES)
    },

    expirePulses (now: number): void {
      const alive = state.pulses.filter(p => now - p.at < PULSE_MS)
      if (alive.length !== state.pulses.length) state.pulses.splice(0, state.pulses.length, ...alive)
    }
  }
}
