/**
 * Shared by the wrong-program suites: check a fixture against a lesson and
 * expect it to fail at one step, with a one-line message naming the mistake.
 */
import { expect } from 'vitest'
import { checkProgram, fixture, lesson, nothingLeftBehind, withEnv } from './helpers.ts'

export interface WrongProgram {
  /** File in checker/test/fixtures/, without `.ts`. */
  fixture: string
  lesson: string
  step: string
  message: RegExp
  /** Shortens time limits, for failures that can only show at one (a handler that never answers). */
  timeScale?: string
}

export async function expectFailure (wrong: WrongProgram): Promise<void> {
  const run = async (): Promise<Awaited<ReturnType<typeof checkProgram>>> => await checkProgram(lesson(wrong.lesson), fixture(`${wrong.fixture}.ts`))
  const checked = wrong.timeScale != null ? await withEnv({ LLMESH_TIME_SCALE: wrong.timeScale }, run) : await run()
  const failed = checked.result.steps.find(step => step.status === 'failed')
  expect(failed?.id, JSON.stringify(failed)).toBe(wrong.step)
  expect(failed?.message).toMatch(wrong.message)
  expect(failed?.message).not.toContain('\n')
  expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
}

export async function expectPass (lessonQuery: string, file: string): Promise<void> {
  const checked = await checkProgram(lesson(lessonQuery), file)
  expect(checked.result.steps.filter(step => step.status !== 'passed'), 'steps that did not pass').toEqual([])
  expect(checked.result.passed).toBe(true)
  expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
}
