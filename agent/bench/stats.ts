/** Small statistics and one clock shared by every bench process. */

/** Milliseconds since the epoch with sub-millisecond resolution: comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now()

export function percentile (values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] ?? NaN
}

export const median = (values: number[]): number => percentile(values, 50)

export interface Summary { n: number, p50: number, p99: number }

export function summarize (values: number[]): Summary {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99) }
}

export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Poll `check` until it is true or `timeoutMs` passed; returns whether it became true. */
export async function until (check: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await sleep(intervalMs)
  }
  return true
}
