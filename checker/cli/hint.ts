/**
 * npm run hint [N]   the next hint for the step of lesson N (default: current) that failed last
 */
import { parseArgs } from 'node:util'
import pc from 'picocolors'
import { nextHint } from '../hints.ts'
import { lessonNumber } from '../lesson-types.ts'
import { loadProgress, saveProgress } from '../progress.ts'
import { hintBlock } from '../ui/transcript.ts'
import { chosenLesson } from './current-lesson.ts'
import { parseCommandLine, runCli, UsageError } from './usage-error.ts'

const USAGE = `npm run hint [N]   the next hint for the step of lesson N (default: the current one) that failed last
`

await runCli(USAGE, async () => {
  const { positionals } = parseCommandLine(() => parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } }))
  if (positionals.length > 1) throw new UsageError(`one lesson at a time, please (got ${positionals.join(' ')}).`)
  const lesson = await chosenLesson(positionals[0])
  const { progress } = await loadProgress()
  const entry = progress.lessons[lesson.id]

  if (entry?.status === 'passed') {
    process.stdout.write(`${pc.green('✓')} lesson ${lessonNumber(lesson)} passed at its last check: no hint needed.\n`)
    return 0
  }
  const hint = nextHint(lesson, entry)
  if (hint == null) {
    process.stdout.write(`lesson ${lessonNumber(lesson)} has not failed a check yet: run ${pc.bold('npm run check')} first, and the hint will be for the step that fails.\n`)
    return 0
  }
  await saveProgress(progress)
  process.stdout.write(`${pc.bold(`lesson ${lessonNumber(lesson)} · ${lesson.title}`)} ${pc.dim(`· failing step: ${lesson.steps[hint.stepId]?.title ?? hint.stepId}`)}\n`)
  process.stdout.write(hintBlock(hint))
  return 0
})
