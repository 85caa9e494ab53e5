/**
 * The workshop's lessons as the protocol inspector links to them: `lessons.json`
 * lists them, `lessons/<id>/` shows one rendered from its README. Node-only:
 * used by the agent's web server and by the Vite dev server. The list comes from
 * the lesson catalogue, lessons/catalogue.ts, a leaf module: the app never
 * loads the lesson engine in checker/.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { marked } from 'marked'
import { catalogue, lessonNumber } from '../../lessons/catalogue.ts'
import type { LessonLink } from '../src/lib/lesson-links.ts'

export type LessonEntry = LessonLink

export function listLessons (): LessonEntry[] {
  return catalogue.map(lesson => ({ id: lesson.id, number: lessonNumber(lesson), title: lesson.title, topics: [...lesson.topics], url: `lessons/${lesson.id}/` }))
}

/** The lesson's README as a small self-contained HTML page, or undefined for an unknown id. */
export async function lessonPage (id: string): Promise<string | undefined> {
  const known = listLessons().find(l => l.id === id)
  if (known == null) return undefined
  const readme = fileURLToPath(new URL(`../../lessons/${known.id}/README.md`, import.meta.url))
  const markdown = await readFile(readme, 'utf8')
    .catch(() => `# ${known.title}\n\nRun \`npm run lesson ${known.number}\` to start this lesson.`)
  const body = await marked.parse(markdown)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(known.title)} · LLMesh</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;background:#0b0d1e;color:#dfe3ff}
a{color:#7fd8ff}code,pre{background:#161a36;border-radius:4px;padding:.1em .3em}pre{padding:1em;overflow:auto}</style>
</head><body><p><a href="../../">← back to the chat</a> · <code>npm run lesson ${known.number}</code></p>${body}</body></html>`
}

function escapeHtml (text: string): string {
  return text.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}
