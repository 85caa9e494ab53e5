/**
 * The workshop's lessons as the protocol inspector links to them: `lessons.json`
 * lists them, `lessons/<id>/` shows one rendered from its README. Node-only:
 * used by the agent's web server and by the Vite dev server.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { marked } from 'marked'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

export interface LessonEntry {
  id: string
  number: number
  title: string
  url: string
}

const LESSON_ID = /^(\d{2})-[a-z0-9-]+$/

export async function listLessons (root = REPO_ROOT): Promise<LessonEntry[]> {
  const ids = new Set<string>()
  for (const dir of ['lessons', 'solutions']) {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => [])
    for (const entry of entries) if (entry.isDirectory() && LESSON_ID.test(entry.name)) ids.add(entry.name)
  }
  const lessons = await Promise.all([...ids].sort().map(async id => ({
    id,
    number: Number.parseInt(id.slice(0, 2), 10),
    title: headingOf(await readme(root, id)) ?? humanise(id),
    url: `lessons/${id}/`
  })))
  return lessons
}

/** The lesson's README as a small self-contained HTML page, or undefined for an unknown id. */
export async function lessonPage (id: string, root = REPO_ROOT): Promise<string | undefined> {
  if (!LESSON_ID.test(id)) return undefined
  const known = (await listLessons(root)).find(l => l.id === id)
  if (known == null) return undefined
  const markdown = await readme(root, id) ?? `# ${known.title}\n\nRun \`npm run lesson ${known.number}\` to start this lesson.`
  const body = await marked.parse(markdown)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(known.title)} · LLMesh</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;background:#0b0d1e;color:#dfe3ff}
a{color:#7fd8ff}code,pre{background:#161a36;border-radius:4px;padding:.1em .3em}pre{padding:1em;overflow:auto}</style>
</head><body><p><a href="../../">← back to the chat</a> · <code>npm run lesson ${known.number}</code></p>${body}</body></html>`
}

async function readme (root: string, id: string): Promise<string | undefined> {
  return await readFile(join(root, 'lessons', id, 'README.md'), 'utf8').catch(() => undefined)
}

function headingOf (markdown: string | undefined): string | undefined {
  return markdown?.split('\n').find(line => line.startsWith('# '))?.slice(2).trim()
}

function humanise (id: string): string {
  const words = id.slice(3).replace(/-/g, ' ')
  return `Lesson ${Number.parseInt(id.slice(0, 2), 10)}: ${words.charAt(0).toUpperCase()}${words.slice(1)}`
}

function escapeHtml (text: string): string {
  return text.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}
