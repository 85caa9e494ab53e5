/**
 * npm run check [N]                check the current lesson, or lesson N
 * npm run check -- --watch [N]     check again whenever you save (add --poll on WSL or mounted drives)
 * npm run check -- --solution N    check the reference solution of lesson N
 * npm run check -- --all           check every lesson up to the current one (with --solution: every solution)
 * npm run check -- --json …        machine-readable result, for classrooms and CI
 * npm run check -- --file F N      check any program F against lesson N (instructors, tests)
 */
import '../../mesh/compat.ts'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkTarget, learnerTarget, solutionTarget } from '../check-session.ts'
import type { CheckTarget, SessionOutcome } from '../check-session.ts'
import { lessons } from '../lessons.ts'
import { chosenLesson, currentLesson } from './current-lesson.ts'
import { parseCommandLine, runCli, UsageError } from './usage-error.ts'
import { summaryLine } from '../ui/transcript.ts'
import { watchAndCheck } from './watch.ts'

const USAGE = `npm run check [N]                 check the current lesson, or lesson N
npm run check -- --watch [N]      check again whenever you save (--poll on WSL or mounted drives)
npm run check -- --solution N     check the reference solution of lesson N
npm run check -- --all            check every lesson up to the current one (with --solution: every solution)
npm run check -- --json …         print a machine-readable result
npm run check -- --file F N       check program F against lesson N
`

await runCli(USAGE, async () => {
  const { values, positionals } = parseCommandLine(() => parseArgs({
    allowPositionals: true,
    options: {
      watch: { type: 'boolean', short: 'w', default: false },
      poll: { type: 'boolean', default: false },
      solution: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  }))

  if (positionals.length > 1) throw new UsageError(`one lesson at a time, please (got ${positionals.join(' ')}).`)
  const query = positionals[0]
  const kind = values.file != null ? 'file' : values.solution ? 'solution' : 'learner'

  if (values.all) {
    if (values.watch || values.file != null) throw new UsageError('--all cannot be combined with --watch or --file.')
    const upTo = values.solution ? lessons.length : lessons.indexOf(await currentLesson()) + 1
    const outcomes: SessionOutcome[] = []
    for (const lesson of lessons.slice(0, upTo)) {
      outcomes.push(await checkTarget(values.solution ? solutionTarget(lesson) : learnerTarget(lesson), { json: values.json }))
      if (!values.json) process.stdout.write('\n')
    }
    const passed = outcomes.every(outcome => outcome.result.passed)
    if (values.json) process.stdout.write(`${JSON.stringify({ passed, results: outcomes.map(jsonOutcome) }, null, 2)}\n`)
    else process.stdout.write(`${summaryLine(outcomes.map(outcome => outcome.result))}\n`)
    return passed ? 0 : 1
  }

  const lesson = await chosenLesson(query)
  const target: CheckTarget = kind === 'file'
    ? { lesson, file: resolve(values.file ?? ''), kind }
    : kind === 'solution' ? solutionTarget(lesson) : learnerTarget(lesson)

  if (values.watch) {
    if (values.json) throw new UsageError('--watch prints a transcript for people; use --json without --watch.')
    await watchAndCheck(target, { poll: values.poll })
    return 0
  }

  const outcome = await checkTarget(target, { json: values.json })
  if (values.json) process.stdout.write(`${JSON.stringify(jsonOutcome(outcome), null, 2)}\n`)
  return outcome.result.passed ? 0 : 1
})

function jsonOutcome ({ result, hint }: SessionOutcome): object {
  return {
    ...result,
    durationMs: Math.round(result.durationMs),
    steps: result.steps.map(step => ({ ...step, durationMs: Math.round(step.durationMs) })),
    ...(hint != null ? { hint } : {})
  }
}

