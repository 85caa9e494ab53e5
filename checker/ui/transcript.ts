/**
 * The check transcript: one line per step (✓/✗ and its time), then, for the
 * first failure, what was expected, what was seen and a hint, then the verdict.
 */
import pc from 'picocolors'
import type { CheckResult, StepResult } from '../engine/check-result.ts'
import { formatMs } from '../engine/time-limits.ts'
import type { Hint } from '../hints.ts'
import { terminalWidth, wrap } from './wrap.ts'

const TITLE_WIDTH = 50

export function header (lessonNumber: number, title: string, file: string, what = 'checking'): string {
  return `${pc.bold(`lesson ${lessonNumber} · ${title}`)}\n${pc.dim(`${what} ${file}`)}\n`
}

export function stepLine (step: StepResult): string {
  const mark = step.status === 'passed' ? pc.green('✓') : step.status === 'failed' ? pc.red('✗') : pc.dim('·')
  const title = step.status === 'skipped' ? pc.dim(step.title) : step.title
  const time = step.status === 'skipped' ? pc.dim('skipped') : formatMs(step.durationMs)
  const detail = step.detail != null ? pc.dim(`  ${step.detail}`) : ''
  return `  ${mark} ${title.padEnd(TITLE_WIDTH)} ${time.padStart(7)}${detail}`
}

export function failureBlock (step: StepResult): string {
  const lines = [`      ${pc.red(step.message ?? 'failed')}`]
  if (step.expected != null) lines.push(`      ${pc.dim('expected')}  ${step.expected}`)
  if (step.seen != null) lines.push(`      ${pc.dim('seen    ')}  ${step.seen}`)
  return lines.join('\n')
}

export function hintBlock (hint: Hint): string {
  const label = hint.kind === 'hint' ? `hint ${hint.level} of ${hint.of}` : hint.kind === 'advice' ? 'hint' : 'solution'
  return `\n  ${pc.yellow(label)} ${pc.dim(`· ${hint.stepId}`)}\n${indent(hintText(hint.text, terminalWidth() - 4), 2)}\n`
}

/**
 * A hint for the terminal: prose wrapped, with `code spans` coloured instead of
 * backticked; ``` fenced blocks shown as they are, indented and never wrapped,
 * so they copy and paste (template literals and all).
 */
export function hintText (text: string, width: number): string {
  const parts = text.split(/^```[\w-]*\n([\s\S]*?)^```$/m)
  return parts.map((part, index) => {
    if (index % 2 === 1) return part.replace(/\n$/, '').split('\n').map(line => `  ${pc.cyan(line)}`).join('\n')
    const prose = part.replace(/^\n+|\n+$/g, '')
    return prose === '' ? undefined : terminalCode(wrap(prose, width))
  }).filter(part => part != null).join('\n')
}

/** The last lines the program printed, for a failure the program's own words may explain. */
export function outputBlock (output: string[], count = 8): string {
  const last = output.slice(-count)
  if (last.length === 0) return `\n  ${pc.dim('your program printed nothing')}\n`
  return `\n  ${pc.dim(`your program's last ${last.length === 1 ? 'line' : `${last.length} lines`}:`)}\n${last.map(line => `    ${pc.dim('│')} ${line.length > 160 ? `${line.slice(0, 159)}…` : line}`).join('\n')}\n`
}

export function verdictLine (result: CheckResult): string {
  if (result.passed) return pc.green(pc.bold(`✓ lesson ${result.lessonNumber} passed`)) + pc.dim(` · ${formatMs(result.durationMs)}`)
  const failed = result.steps.find(step => step.status === 'failed')
  const where = failed != null ? ` at "${failed.title}"` : ' (cancelled)'
  return pc.red(pc.bold(`✗ lesson ${result.lessonNumber} failed${where}`)) + pc.dim(` · ${formatMs(result.durationMs)}`)
}

/** The whole transcript at once (the CLI prints it step by step instead). */
export function transcript (result: CheckResult, hint?: Hint): string {
  const lines: string[] = []
  for (const step of result.steps) {
    lines.push(stepLine(step))
    if (step.status === 'failed') lines.push(failureBlock(step))
  }
  if (result.failedStep != null && result.failedStep !== 'start') lines.push(outputBlock(result.output))
  if (hint != null) lines.push(hintBlock(hint))
  lines.push('', verdictLine(result))
  return lines.join('\n')
}

/** `code` in hints, shown in a colour instead of backticks. */
export function terminalCode (text: string): string {
  return text.replace(/`([^`]+)`/g, (_match, code: string) => pc.cyan(code))
}

function indent (text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  return text.split('\n').map(line => pad + line).join('\n')
}

/** After `--all`: how many passed, and where the others failed. */
export function summaryLine (results: CheckResult[]): string {
  const passed = results.filter(result => result.passed)
  if (passed.length === results.length) return pc.green(pc.bold(`✓ all ${results.length} lesson${results.length === 1 ? '' : 's'} passed`))
  const failed = results.filter(result => !result.passed).map(result => {
    const step = result.steps.find(s => s.status === 'failed')
    return `lesson ${result.lessonNumber}${step != null ? ` at "${step.title}"` : ''}`
  })
  return pc.red(pc.bold(`✗ ${passed.length} of ${results.length} lessons passed; failed: ${failed.join(', ')}`))
}
