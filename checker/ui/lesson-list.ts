/**
 * `npm run lesson`: every lesson with its status, and a progress bar.
 */
import pc from 'picocolors'
import { lessonNumber } from '../lesson-types.ts'
import type { LessonMeta } from '../lesson-types.ts'
import type { Progress } from '../progress.ts'
import { terminalCode } from './transcript.ts'

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
    lines.push(`         ${pc.dim(terminalCode(lesson.summary))}`)
  }
  lines.push('', whatNext(all, progress, current))
  return lines.join('\n')
}

/** The last line: the one thing to do now. */
export function whatNext (all: LessonMeta[], progress: Progress, current: LessonMeta): string {
  const next = all[all.indexOf(current) + 1]
  if (progress.lessons[current.id]?.status !== 'passed') {
    return `next: ${pc.bold(`npm run lesson ${lessonNumber(current)}`)} to read lesson ${lessonNumber(current)}, then ${pc.bold('npm run check')}`
  }
  if (next != null) return `lesson ${lessonNumber(current)} passed · next: ${pc.bold(`npm run lesson ${lessonNumber(next)}`)} (${next.title})`
  return `every lesson passed · next: chat with Alien X, ${pc.bold('npm start')}`
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
