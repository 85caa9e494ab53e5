/**
 * The rust universal-connectivity peer derives message ids from the data, so the
 * same text published twice in a row would be dropped there as a duplicate.
 * Every LLMesh publisher (agent, browser) makes a repeat differ by one invisible
 * character, and every reader that compares texts ignores it.
 */
export const REPEAT_MARK = '\u200b'

/** `text`, changed just enough to differ from the text published before it. */
export function distinctFromPrevious (text: string, previous: string | undefined): string {
  return text === previous ? `${text}${REPEAT_MARK}` : text
}

/** `text` as its author typed it, without the repeat mark. */
export function withoutRepeatMark (text: string): string {
  return text.endsWith(REPEAT_MARK) ? text.slice(0, -REPEAT_MARK.length) : text
}
