/**
 * What the learner reads in the terminal: lesson texts rendered from Markdown,
 * and the transcript of a check.
 */
import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../engine/check-result.ts'
import { renderMarkdown } from '../ui/markdown.ts'
import { hintAt } from '../hints.ts'
import { lessons } from '../lessons.ts'
import { hintText, summaryLine, transcript } from '../ui/transcript.ts'
import { wrap } from '../ui/wrap.ts'

const plain = (text: string): string => text.replace(/\x1B\[[0-9;]*m/g, '')

describe('lesson text rendering', () => {
  it('renders headings, code and inline markdown inside list items', () => {
    const out = plain(renderMarkdown('# Lesson 9 · Title\n\n- a **bold** item with `code`\n\n```ts\nconst a = 1\n```\n'))
    expect(out).toContain('Lesson 9 · Title')
    expect(out).not.toContain('# Lesson')
    expect(out).toContain('a bold item with code')
    expect(out).not.toContain('**')
    expect(out).toContain('const a = 1')
  })

  it('turns links to other lessons into the command that shows them', () => {
    const out = plain(renderMarkdown('Next: [Lesson 2](../02-secure-channel-and-muxing/README.md)\n'))
    expect(out).toContain('npm run lesson 2')
    expect(out).not.toContain('README.md')
  })
})

describe('transcript', () => {
  const result: CheckResult = {
    lessonId: '02-secure-channel-and-muxing',
    lessonNumber: 2,
    title: 'Secure channel and muxing',
    file: 'lessons/02-secure-channel-and-muxing/node.ts',
    passed: false,
    durationMs: 1234,
    failedStep: 'noise',
    output: [],
    steps: [
      { id: 'dial', title: 'dial /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…CMpr', status: 'passed', durationMs: 34 },
      { id: 'noise', title: 'secure channel is Noise', status: 'failed', durationMs: 3, message: 'remote offered /plaintext/2.0.0: replace it with noise() in connectionEncrypters.', expected: '/noise', seen: '/plaintext/2.0.0' },
      { id: 'yamux', title: 'noise handshake and yamux', status: 'skipped', durationMs: 0 }
    ]
  }

  it('shows ✓/✗ with times, what was expected and seen, the hint and the verdict', () => {
    const out = plain(transcript(result, { kind: 'hint', stepId: 'noise', level: 1, of: 3, text: 'Use `noise()`.' }))
    expect(out).toMatch(/✓ dial \/ip4\/127\.0\.0\.1\/tcp\/4001\/p2p\/12D3KooW…CMpr +34 ms/)
    expect(out).toMatch(/✗ secure channel is Noise +3 ms/)
    expect(out).toContain('remote offered /plaintext/2.0.0')
    expect(out).toMatch(/expected +\/noise/)
    expect(out).toMatch(/seen +\/plaintext\/2\.0\.0/)
    expect(out).toMatch(/· noise handshake and yamux +skipped/)
    expect(out).toContain('hint 1 of 3 · noise')
    expect(out).toContain('✗ lesson 2 failed at "secure channel is Noise" · 1.2 s')
  })

  it('wraps hints without breaking code spans', () => {
    expect(wrap('aaa `b c d` eee', 8)).toBe('aaa\n`b c d`\neee')
  })
})

describe('hints in the terminal', () => {
  const every = lessons.flatMap(lesson => Object.entries(lesson.steps).flatMap(([stepId, step]) =>
    Array.from({ length: step.hints.length + 1 }, (_unused, i) => [`${lesson.id} ${stepId} ${i + 1}`, hintAt(lesson, stepId, i + 1)?.text ?? ''] as const)))

  it.each(every)('%s renders without stray backticks, code blocks whole', (_name, text) => {
    const out = plain(hintText(text, 60))
    const code = [...text.matchAll(/^```[\w-]*\n([\s\S]*?)^```$/gm)].flatMap(m => (m[1] ?? '').replace(/\n$/, '').split('\n'))
    // Each line of a fenced block comes out as it is, on a line of its own, to copy.
    for (const line of code) expect(out.split('\n'), line).toContain(`  ${line}`)
    const prose = out.split('\n').filter(line => !code.some(c => line === `  ${c}`)).join('\n')
    expect(prose).not.toContain('`')
    expect(out).not.toContain('{file}')
  })

  it.each(every)('%s has no padded or empty code spans in its source', (_name, text) => {
    const prose = text.replace(/^```[\w-]*\n[\s\S]*?^```$/gm, '')
    expect((prose.match(/`/g) ?? []).length % 2, 'an odd number of backticks').toBe(0)
    for (const [, span = ''] of prose.matchAll(/`([^`]*)`/g)) {
      expect(span, span).not.toMatch(/^\s|\s$|^$/)
    }
  })

  it('names the learner\'s real file, not a placeholder', () => {
    const first = hintAt(lessons[0]!, 'start', 1)?.text ?? ''
    expect(first).toContain('npx tsx lessons/01-identity-and-transports/node.ts')
  })
})

describe('the transcript after a failure', () => {
  it('shows the last lines the program printed', () => {
    const out = plain(transcript({
      lessonId: '02-secure-channel-and-muxing', lessonNumber: 2, title: 'Secure channel and muxing', file: 'lessons/02/node.ts',
      passed: false, durationMs: 900, failedStep: 'ping', output: ['peer id 12D3KooWabc', 'connection from 12D3KooWxyz (/noise + /yamux/1.0.0)'],
      steps: [{ id: 'ping', title: 'ping', status: 'failed', durationMs: 3, message: 'no pong.' }]
    }))
    expect(out).toMatch(/your program's last 2 lines:\n +│ peer id 12D3KooWabc\n +│ connection from 12D3KooWxyz/)
  })

  it('--all ends with one summary line', () => {
    const result = (n: number, passed: boolean) => ({ lessonId: `0${n}-x`, lessonNumber: n, title: 'x', file: 'f', passed, durationMs: 1, output: [], steps: passed ? [] : [{ id: 'noise', title: 'secure channel is Noise', status: 'failed' as const, durationMs: 1 }] })
    expect(plain(summaryLine([result(1, true), result(2, true)]))).toBe('✓ all 2 lessons passed')
    expect(plain(summaryLine([result(1, true), result(2, false)]))).toBe('✗ 1 of 2 lessons passed; failed: lesson 2 at "secure channel is Noise"')
  })
})
