/**
 * The workshop's contract, for every lesson in the metadata: the untouched
 * starter fails its check at the step the lesson teaches, and the reference
 * solution passes, well within the verdict budget.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LearnerProgram } from '../engine/learner-process.ts'
import { lessonNumber } from '../lesson-types.ts'
import { lessons } from '../lessons.ts'
import { lessonDir, REPO_ROOT, solutionDir, starterDir } from '../paths.ts'
import { checkProgram, nothingLeftBehind } from './helpers.ts'

// Speed is measured, not asserted: a passing check cannot have waited out a
// time limit (that step would have failed), and the verdict times for the
// reference solutions are in docs/workshop.md ("Fast").

describe.each(lessons.map(lesson => [lessonNumber(lesson), lesson] as const))('lesson %i', (_number, lesson) => {
  const file = lesson.files[0]

  it(`the untouched starter fails at "${lesson.starterFailsAt}"`, async () => {
    const checked = await checkProgram(lesson, join(starterDir(lesson.id), file))
    expect(checked.result.passed).toBe(false)
    expect(checked.result.failedStep, JSON.stringify(checked.result.steps.find(s => s.status === 'failed'))).toBe(lesson.starterFailsAt)
    expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
  })

  it('the reference solution passes', async () => {
    const checked = await checkProgram(lesson, join(solutionDir(lesson.id), file))
    const { result } = checked
    expect(result.steps.filter(s => s.status !== 'passed'), 'steps that did not pass').toEqual([])
    // The transcript, the hints and the lesson's TODOs follow the metadata's order: the check must too.
    expect(result.steps.map(s => s.id)).toEqual(Object.keys(lesson.steps))
    expect(result.passed).toBe(true)
    expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
  })

  it('the learner\'s file is the pristine starter, unless the learner changed it', () => {
    const working = join(lessonDir(lesson.id), file)
    // In a learner's clone the file is theirs to change; in CI it must match the pristine copy --reset restores.
    if (!unchangedInGit(working)) return
    expect(readFileSync(working, 'utf8')).toBe(readFileSync(join(starterDir(lesson.id), file), 'utf8'))
  })
})

function unchangedInGit (file: string): boolean {
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--', file], { cwd: REPO_ROOT, stdio: 'ignore' })
    return true
  } catch {
    return false // changed, or not a git checkout
  }
}

describe('lesson 3\'s node ends when its stdin closes (Ctrl-D)', () => {
  it.each([['the starter', starterDir('03-gossipsub-chat')], ['the solution', solutionDir('03-gossipsub-chat')]])('%s', async (_name, dir) => {
    const state = mkdtempSync(join(tmpdir(), 'llmesh-stdin-'))
    const program = new LearnerProgram(join(dir, 'node.ts'), { LLMESH_KEY_FILE: join(state, 'node.key'), LLMESH_TCP_PORT: '0', LLMESH_WS_PORT: '0', LLMESH_PEERS: '' })
    try {
      await vi.waitFor(() => { expect(program.text('stdout')).toMatch(/\/p2p\/12D3KooW/) }, { timeout: 20_000, interval: 50 })
      program.closeInput()
      const exit = await program.exited
      expect(exit).toMatchObject({ code: 0, killedByChecker: false })
    } finally {
      await program.kill()
      rmSync(state, { recursive: true, force: true })
    }
  })
})
