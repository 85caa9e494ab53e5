/**
 * `npm run lesson`: every lesson with its status, and a progress bar.
 */
import pc from 'picocolors'
import { lessonNumber } from '../lesson-types.ts'
import type { LessonMeta } from '../lesson-types.ts'
import type { Progress } from '../progress.ts'

const BAR_WIDTH = 24

export function lessonList (all: LessonMeta[], progress: Progress, current: LessonMeta): string {
  const passed = all.filter(lesson => progress.lessons[lesson.id]?.status === 'passed').length
  const lines = [
    pc.bold('LLMesh workshop'),
    `${progressBar(passed, all.length)} ${passed} of ${all.length} lessons passed`,
    ''
  ]
  const titleWidth = Math.max(...all.map(lesson => lesson.title.length))
  for (const lesson of all) {
    const entry = progress.lessons[lesson.id]
    const isCurrent = lesson === current
    const mark = entry?.status === 'passed' ? pc.green('✓') : entry?.status === 'failed' ? pc.red('✗') : ' '
    const pointer = isCurrent ? pc.cyan('▸') : ' '
    const number = String(lessonNumber(lesson)).padStart(2)
    const title = isCurrent ? pc.bold(lesson.title.padEnd(titleWidth)) : lesson.title.padEnd(titleWidth)
    lines.push(`${pointer} ${mark} ${number}  ${title}  ${statusNote(entry)}`)
    lines.push(`         ${pc.dim(lesson.summary)}`)
  }
  lines.push('', pc.dim(`npm run lesson ${lessonNumber(current)} to read the current lesson · npm run check to check it`))
  return lines.join('\n')
}

function statusNote (entry: Progress['lessons'][string] | undefined): string {
  if (entry == null) return pc.dim('not checked yet')
  if (entry.status === 'passed') return pc.green('passed')
  return pc.red(`failed at ${entry.lastFailedStep ?? '?'}`) + pc.dim(` (${entry.checks} check${entry.checks === 1 ? '' : 's'})`)
}

export function progressBar (done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH)
  return `${pc.green('█'.repeat(filled))}${pc.dim('░'.repeat(BAR_WIDTH - filled))}`
}
