/**
 * The `lesson-N` steps a later lesson's check runs to re-verify lesson 5
 * (lesson 4's runs in lesson 5's own check): a check made of nothing but the
 * start step and `lesson5Holds` passes lesson 5's solution, and fails a node
 * that lost part of lesson 5, naming the lesson.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CheckRun } from '../engine/check-run.ts'
import { prepareRelayPeers } from '../checks/circuit-relay.ts'
import { lesson5Holds } from '../checks/earlier-lessons.ts'
import { startNode } from '../checks/start-node.ts'
import type { LessonMeta } from '../lesson-types.ts'
import { solutionDir } from '../paths.ts'
import { checkProgram, fixture, lesson, nothingLeftBehind } from './helpers.ts'

async function reverifyLesson5 (run: CheckRun): Promise<void> {
  const relaying = await prepareRelayPeers(run)
  const node = await startNode(run, relaying.env)
  const peers = await relaying.peers
  await relaying.joinLate(node)
  await lesson5Holds(run, node, peers)
}

/** A stand-in for a lesson after 5: its metadata's first steps, a check of only those. */
function laterLesson (): LessonMeta {
  const five = lesson('5')
  return {
    ...five,
    id: '06-later-lesson',
    steps: { start: five.steps.start!, 'lesson-5': { title: 'lesson 5 still holds', timeoutMs: 5_000, hints: ['', ''] } },
    check: async () => ({ default: reverifyLesson5 })
  }
}

describe('lesson5Holds', () => {
  it('passes lesson 5\'s solution', async () => {
    const checked = await checkProgram(laterLesson(), join(solutionDir('05-circuit-relay'), 'node.ts'))
    expect(checked.result.steps.filter(step => step.status !== 'passed'), 'steps that did not pass').toEqual([])
    expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
  })

  it.each([
    ['relay-no-server', /^lesson 5 no longer holds: your node serves no relay: LLMESH_RELAY_SERVER=1 was set/],
    ['relay-gossip-not-limited', /^lesson 5 no longer holds: your node speaks \/meshsub\/1\.\d\.0, but not over the relayed connection/]
  ])('fails %s at lesson-5, naming lesson 5', async (name, message) => {
    const checked = await checkProgram(laterLesson(), fixture(`${name}.ts`))
    const failed = checked.result.steps.find(step => step.status === 'failed')
    expect(failed?.id, JSON.stringify(failed)).toBe('lesson-5')
    expect(failed?.message).toMatch(message)
    expect(nothingLeftBehind(checked)).toEqual({ group: [], processes: [] })
  })
})
