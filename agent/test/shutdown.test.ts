/**
 * Issue 13: the agent's process ends with 0 only after a clean stop; a stop that
 * hangs (a stuck transport) or fails ends it with 1 and says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stopWithin } from '../shutdown.ts'

describe('stopWithin', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  function run (stop: () => Promise<unknown>): { exits: number[], reports: string[] } {
    const exits: number[] = []
    const reports: string[] = []
    stopWithin({ stop, deadlineMs: 5000, exit: code => { exits.push(code) }, report: line => { reports.push(line) } })
    return { exits, reports }
  }

  it('exits 0 once everything has stopped, and the watchdog stays quiet', async () => {
    const { exits, reports } = run(async () => { await new Promise(resolve => setTimeout(resolve, 1000)) })
    await vi.advanceTimersByTimeAsync(999)
    expect(exits).toEqual([])
    await vi.advanceTimersByTimeAsync(10_000)
    expect(exits).toEqual([0])
    expect(reports).toEqual([])
  })

  it('exits 1 at the deadline when the stop never finishes, saying so', async () => {
    const { exits, reports } = run(async () => { await new Promise(() => {}) })
    await vi.advanceTimersByTimeAsync(4999)
    expect(exits).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(exits).toEqual([1])
    expect(reports).toEqual(['did not stop within 5 s; exiting anyway'])
  })

  it('exits 1 when the stop fails, with its reason, and only once', async () => {
    const { exits, reports } = run(async () => { throw new Error('listener busy') })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(exits).toEqual([1])
    expect(reports).toEqual(['could not stop cleanly: listener busy'])
  })
})
