/**
 * Which way the layers point: the app (agent, visualizer server) reads the
 * lesson catalogue, a leaf, and never loads the lesson engine; the engine's
 * own modules import each other without cycles.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../paths.ts'

/** Relative `.ts` imports of a file, static and dynamic, type-only included. */
function importsOf (file: string): string[] {
  const source = readFileSync(file, 'utf8')
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+\.ts)['"]|import\(\s*['"](\.[^'"]+\.ts)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+\.ts)['"]/g)]
    .map(match => match[1] ?? match[2] ?? match[3] ?? '')
  return specifiers.map(specifier => resolve(dirname(file), specifier))
}

function importGraph (entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const pending = [resolve(repoRoot, entry)]
  while (pending.length > 0) {
    const file = pending.pop() ?? ''
    if (graph.has(file)) continue
    const next = importsOf(file)
    graph.set(file, next)
    pending.push(...next)
  }
  return graph
}

const inRepo = (file: string): string => relative(repoRoot, file)

describe('module boundaries', () => {
  it.each(['agent/main.ts', 'agent/web-server.ts', 'visualizer/server/lesson-index.ts'])('%s never imports the lesson engine in checker/', (entry) => {
    const files = [...importGraph(entry).keys()].map(inRepo)
    expect(files).toContain('lessons/catalogue.ts') // the leaf it reads instead…
    expect(files.filter(file => file.startsWith('checker/'))).toEqual([])
  })

  it('the lesson catalogue is a leaf: it imports nothing', () => {
    expect(importsOf(join(repoRoot, 'lessons/catalogue.ts'))).toEqual([])
  })

  it('the checker\'s modules import each other without a cycle', () => {
    const graph = importGraph('checker/lessons.ts')
    for (const entry of ['checker/cli/check.ts', 'checker/cli/lesson.ts', 'checker/cli/hint.ts']) {
      for (const [file, next] of importGraph(entry)) graph.set(file, next)
    }
    for (const id of ['01-identity-and-transports', '02-secure-channel-and-muxing', '03-gossipsub-chat', '04-finding-peers']) {
      for (const [file, next] of importGraph(`checker/checks/${id}.ts`)) graph.set(file, next)
    }
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') { cycles.push([...path.slice(path.indexOf(file)), file].map(inRepo).join(' → ')); return }
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
    expect(cycles).toEqual([])
  })
})
