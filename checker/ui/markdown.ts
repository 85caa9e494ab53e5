/**
 * Lesson texts rendered for the terminal with marked + marked-terminal.
 *
 * marked-terminal 7.3 does not format inline markdown inside list items with
 * marked ≥ 13 (mikaelbr/marked-terminal#304, #371): `text` tokens that carry
 * inline tokens are rendered raw. The `text` renderer below parses them.
 * Links to other lessons become the command that shows them.
 */
import { Marked } from 'marked'
import type { Tokens } from 'marked'
import { markedTerminal } from 'marked-terminal'
import { terminalWidth } from './wrap.ts'

const LESSON_LINK = /(?:^|\/)(\d\d)-[\w-]+\/(?:README\.md)?$/

export function renderMarkdown (source: string): string {
  const marked = new Marked()
  marked.use(markedTerminal({ width: terminalWidth(), reflowText: true, showSectionPrefix: false, tab: 2 }) as Parameters<Marked['use']>[0])
  marked.use({
    walkTokens (token) {
      if (token.type !== 'link') return
      const link = token as Tokens.Link
      const lesson = LESSON_LINK.exec(link.href)
      if (lesson != null) link.href = `npm run lesson ${Number(lesson[1])}`
    },
    renderer: {
      text (token) {
        return 'tokens' in token && token.tokens != null ? this.parser.parseInline(token.tokens) : token.text
      }
    }
  })
  return marked.parse(source, { async: false })
}
