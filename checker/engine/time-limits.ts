/**
 * Step time limits, stretched on slow machines with LLMESH_TIME_SCALE=2 (or more).
 */
export function timeScale (): number {
  const scale = Number(process.env.LLMESH_TIME_SCALE)
  return Number.isFinite(scale) && scale > 0 ? scale : 1
}

export function scaled (ms: number): number {
  return Math.round(ms * timeScale())
}

export function formatMs (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}
