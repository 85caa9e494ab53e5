/**
 * `npm run docs:agent-options`: rewrite the README's configuration table from
 * agent/options.ts, the one place the options are declared.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defaultConfig, REPO_ROOT } from './config.ts'
import { optionsTable } from './options.ts'

const START = /<!-- agent-options[^>]*-->\n/
const END = '<!-- /agent-options -->'

/** The README with its configuration table replaced by the generated one. */
export function withOptionsTable (readme: string): string {
  const start = START.exec(readme)
  const end = readme.indexOf(END)
  if (start == null || end < start.index) throw new Error('README.md has no <!-- agent-options --> … <!-- /agent-options --> section')
  const from = start.index + start[0].length
  return `${readme.slice(0, from)}${optionsTable(defaultConfig())}\n${readme.slice(end)}`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = join(REPO_ROOT, 'README.md')
  await writeFile(file, withOptionsTable(await readFile(file, 'utf8')))
  console.log('README.md: configuration table rewritten from agent/options.ts')
}
