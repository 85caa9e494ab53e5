/**
 * Word-wrap plain text for the terminal, keeping `code spans` whole so they can
 * be coloured line by line afterwards.
 */
export function terminalWidth (): number {
  return Math.max(40, Math.min(process.stdout.columns ?? 80, 100))
}

export function wrap (text: string, width: number): string {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.match(/`[^`]*`\S*|\S+/g) ?? []) {
      const visible = (s: string): number => s.replace(/`/g, '').length
      if (line !== '' && visible(line) + 1 + visible(word) > width) {
        lines.push(line)
        line = word
      } else {
        line = line === '' ? word : `${line} ${word}`
      }
    }
    lines.push(line)
  }
  return lines.join('\n')
}
