/**
 * What the learner reads in the terminal: lesson texts rendered from Markdown,
 * and the transcript of a check.
 */
import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../engine/check-result.ts'
import { renderMarkdown } from '../ui/markdown.ts'
import { transcript } from '../ui/transcript.ts'
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
