/**
 * npm run lesson                       list the lessons, your progress, the current one
 * npm run lesson N                     show lesson N and make it the current lesson
 * npm run lesson -- --reset [N]        restore lesson N's starter file (yours is backed up)
 * npm run lesson -- --reset-progress   forget all progress (the file is backed up)
 */
import { join } from 'node:path'
import { readFile, rename } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import pc from 'picocolors'
import { lessonNumber } from '../lesson-types.ts'
import { lessons } from '../lessons.ts'
import { displayPath, lessonDir } from '../paths.ts'
import { emptyProgress, forgetLesson, loadProgress, progressFile, saveProgress } from '../progress.ts'
import { resetLesson } from '../reset.ts'
import { lessonList } from '../ui/lesson-list.ts'
import { renderMarkdown } from '../ui/markdown.ts'
import { chosenLesson, currentLesson } from './current-lesson.ts'
import { parseCommandLine, runCli, UsageError } from './usage-error.ts'

const USAGE = `npm run lesson                       list the lessons, your progress, the current one
npm run lesson N                     show lesson N and make it the current lesson
npm run lesson -- --reset [N]        restore lesson N's starter file (yours is backed up)
npm run lesson -- --reset-progress   forget all progress (the file is backed up)
`

await runCli(USAGE, async () => {
  const { values, positionals } = parseCommandLine(() => parseArgs({
    allowPositionals: true,
    options: {
      reset: { type: 'boolean', default: false },
      'reset-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  }))
  if (positionals.length > 1) throw new UsageError(`one lesson at a time, please (got ${positionals.join(' ')}).`)
  const query = positionals[0]

  if (values['reset-progress']) {
    const { progress } = await loadProgress()
    if (Object.keys(progress.lessons).length === 0 && progress.current == null) {
      process.stdout.write('there is no progress to reset.\n')
      return 0
    }
    const aside = `${progressFile()}.${Date.now()}.bak`
    await rename(progressFile(), aside)
    await saveProgress(emptyProgress())
    process.stdout.write(`progress reset; the old file is ${displayPath(aside)}\n`)
    return 0
  }

  if (values.reset) {
    const lesson = await chosenLesson(query)
    const files = await resetLesson(lesson)
    const { progress } = await loadProgress()
    forgetLesson(progress, lesson.id)
    await saveProgress(progress)
    for (const { file, backup } of files) {
      process.stdout.write(`${pc.green('✓')} restored ${displayPath(file)} to its starter`)
      process.stdout.write(backup != null ? `; your version is in ${displayPath(backup)}\n` : ' (it was unchanged)\n')
    }
    return 0
  }

  const { progress, warning } = await loadProgress()
  if (warning != null) process.stderr.write(`${pc.yellow('!')} ${warning}\n`)

  if (query == null) {
    process.stdout.write(`${lessonList(lessons, progress, await currentLesson())}\n`)
    return 0
  }

  const lesson = await chosenLesson(query)
  progress.current = lesson.id
  await saveProgress(progress)
  const readme = await readFile(join(lessonDir(lesson.id), 'README.md'), 'utf8')
  const file = displayPath(join(lessonDir(lesson.id), lesson.files[0]))
  process.stdout.write(renderMarkdown(readme))
  process.stdout.write(`${pc.cyan('▸')} lesson ${lessonNumber(lesson)} is now your current lesson\n`)
  process.stdout.write(`  edit   ${pc.bold(file)}\n`)
  process.stdout.write(`  check  ${pc.bold('npm run check')}   ${pc.dim('(or npm run check -- --watch to check on every save)')}\n`)
  process.stdout.write(`  stuck  ${pc.bold('npm run hint')}\n`)
  return 0
})

