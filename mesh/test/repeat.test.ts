import { describe, expect, it } from 'vitest'
import { distinctFromPrevious, REPEAT_MARK, withoutRepeatMark } from '../repeat.ts'

describe('repeated text', () => {
  it('changes a text only when it equals the one published before it', () => {
    expect(distinctFromPrevious('hello', undefined)).toBe('hello')
    expect(distinctFromPrevious('hello', 'hi')).toBe('hello')
    const second = distinctFromPrevious('hello', 'hello')
    expect(second).not.toBe('hello')
    // A third time differs from the second again, so no two neighbours are equal.
    expect(distinctFromPrevious('hello', second)).not.toBe(second)
  })

  it('reads back as typed', () => {
    expect(withoutRepeatMark(distinctFromPrevious('hello', 'hello'))).toBe('hello')
    expect(withoutRepeatMark('hello')).toBe('hello')
    expect(withoutRepeatMark(`${REPEAT_MARK}hello`)).toBe(`${REPEAT_MARK}hello`)
  })
})
