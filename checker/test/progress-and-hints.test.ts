/**
 * Progress is one readable file keyed by lesson id; hints deepen with repeated
 * failures of the same step and end with the solution's path.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hintAfterFailure, nextHint } from '../hints.ts'
import { emptyProgress, forgetLesson, loadProgress, progressFile, recordCheck, saveProgress } from '../progress.ts'
import { lesson } from './helpers.ts'

let stateDir: string
let previous: string | undefined

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'llmesh-progress-'))
  previous = process.env.LLMESH_STATE_DIR
  process.env.LLMESH_STATE_DIR = stateDir
})
afterEach(async () => {
  if (previous == null) delete process.env.LLMESH_STATE_DIR
  else process.env.LLMESH_STATE_DIR = previous
  await rm(stateDir, { recursive: true, force: true })
})

describe('progress file', () => {
  it('lives in LLMESH_STATE_DIR and round-trips as readable JSON keyed by lesson id', async () => {
    expect(progressFile()).toBe(join(stateDir, 'progress.json'))
    const progress = emptyProgress()
    progress.current = '01-identity-and-transports'
    recordCheck(progress, '01-identity-and-transports', { passed: false, failedStep: 'identity' }, new Date('2025-01-01T00:00:00Z'))
    await saveProgress(progress)
    const text = await readFile(progressFile(), 'utf8')
    expect(text).toContain('\n  "current": "01-identity-and-transports"')
    expect(JSON.parse(text).lessons['01-identity-and-transports']).toEqual({
      status: 'failed', checks: 1, lastCheckedAt: '2025-01-01T00:00:00.000Z', lastFailedStep: 'identity', failures: { identity: 1 }, hintsShown: {}
    })
    expect((await loadProgress()).progress).toEqual(progress)
  })

  it('counts failures per step, and a pass clears them', () => {
    const progress = emptyProgress()
    recordCheck(progress, 'x', { passed: false, failedStep: 'a' })
    recordCheck(progress, 'x', { passed: false, failedStep: 'a' })
    const afterB = recordCheck(progress, 'x', { passed: false, failedStep: 'b' })
    expect(afterB.failures).toEqual({ a: 2, b: 1 })
    const passed = recordCheck(progress, 'x', { passed: true })
    expect(passed).toMatchObject({ status: 'passed', checks: 4, failures: {} })
    expect(passed.passedAt).toBeDefined()
    forgetLesson(progress, 'x')
    expect(progress.lessons).toEqual({})
  })

  it('sets a hand-broken file aside instead of crashing', async () => {
    await writeFile(progressFile(), '{ "lessons": 42 ')
    const { progress, warning } = await loadProgress()
    expect(progress).toEqual(emptyProgress())
    expect(warning).toMatch(/was not valid progress; it was moved to .*progress\.json\.broken-\d+/)
  })
})

describe('hints', () => {
  const one = lesson('1')

  it('deepen with each failure of the same step, then show the solution path', () => {
    const progress = emptyProgress()
    const shown: string[] = []
    for (let i = 0; i < 5; i++) {
      const entry = recordCheck(progress, one.id, { passed: false, failedStep: 'identity' })
      const hint = hintAfterFailure(one, 'identity', entry)
      shown.push(hint?.kind === 'hint' ? `hint ${hint.level}` : `solution ${hint?.kind === 'solution' ? hint.path : ''}`)
    }
    expect(shown).toEqual(['hint 1', 'hint 2', 'hint 3', 'solution solutions/01-identity-and-transports/node.ts', 'solution solutions/01-identity-and-transports/node.ts'])
  })

  it('`npm run hint` goes one deeper than what was shown, for the step that failed last', () => {
    const progress = emptyProgress()
    const entry = recordCheck(progress, one.id, { passed: false, failedStep: 'tcp' })
    hintAfterFailure(one, 'tcp', entry)
    expect(nextHint(one, entry)).toMatchObject({ kind: 'hint', stepId: 'tcp', level: 2 })
    expect(nextHint(one, entry)).toMatchObject({ kind: 'hint', stepId: 'tcp', level: 3 })
    expect(nextHint(one, entry)).toMatchObject({ kind: 'solution', stepId: 'tcp' })
  })

  it('never get shallower after `npm run hint` went deeper', () => {
    const progress = emptyProgress()
    const first = recordCheck(progress, one.id, { passed: false, failedStep: 'identity' })
    expect(hintAfterFailure(one, 'identity', first)).toMatchObject({ level: 1 })
    expect(nextHint(one, first)).toMatchObject({ level: 2 })
    expect(nextHint(one, first)).toMatchObject({ level: 3 })
    // The second failure alone would mean hint 2; the learner has already read hint 3.
    const second = recordCheck(progress, one.id, { passed: false, failedStep: 'identity' })
    expect(hintAfterFailure(one, 'identity', second)).toMatchObject({ kind: 'hint', level: 3 })
    expect(second.hintsShown.identity).toBe(3)
  })

  it('end with a command that copies cleanly: on its own line, no full stop after it', () => {
    const progress = emptyProgress()
    const entry = recordCheck(progress, one.id, { passed: false, failedStep: 'websockets' })
    let hint = hintAfterFailure(one, 'websockets', entry)
    while (hint?.kind === 'hint') hint = nextHint(one, entry)
    expect(hint?.text.split('\n').at(-1)).toBe('`git diff --no-index lessons/01-identity-and-transports/node.ts solutions/01-identity-and-transports/node.ts`')
  })

  it('has nothing to say before the first failure', () => {
    expect(nextHint(one, undefined)).toBeUndefined()
  })
})
