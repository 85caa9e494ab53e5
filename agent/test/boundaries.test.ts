/**
 * The layers of the tree, as docs/decisions.md draws them, checked on the real
 * import graph as TypeScript resolves it (static, dynamic and type-only imports):
 * the app (agent, its web server) reads the lesson catalogue, a leaf, and never
 * loads the workshop engine; no module imports itself back through others.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const compilerOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true
}

/** Our own files reachable from `entryPoints`, each with the own files it imports. */
function importGraph (entryPoints: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const pending = entryPoints.map(file => resolve(root, file))
  while (pending.length > 0) {
    const file = pending.pop()!
    const name = relative(root, file)
    if (graph.has(name)) continue
    const imports: string[] = []
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, compilerOptions, ts.sys).resolvedModule
      if (resolved == null || resolved.isExternalLibraryImport === true || !resolved.resolvedFileName.startsWith(root)) continue
      imports.push(relative(root, resolved.resolvedFileName))
      pending.push(resolved.resolvedFileName)
    }
    graph.set(name, imports)
  }
  return graph
}

/** Every import cycle among our own files, each as the path that closes it. */
function cycles (graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      found.push([...path.slice(path.indexOf(file)), file])
      return
    }
    state.set(file, 'open')
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of graph.keys()) visit(file, [])
  return found
}

const workshop = /^(checker|lessons|solutions)\//
/** The one workshop module the app reads: plain data, so the engine stays out of the app. */
const CATALOGUE = 'lessons/catalogue.ts'

describe('module boundaries', () => {
  it.each(['agent/main.ts', 'agent/web-server.ts', 'visualizer/server/lesson-index.ts'])('%s reads the lesson catalogue and nothing else of the workshop', (entry) => {
    const files = [...importGraph([entry]).keys()]
    expect(files.length).toBeGreaterThan(entry === 'agent/main.ts' ? 20 : 1)
    if (entry !== 'agent/main.ts') expect(files).toContain(CATALOGUE)
    expect(files.filter(file => workshop.test(file) && file !== CATALOGUE)).toEqual([])
  })

  it('the lesson catalogue is a leaf: it imports nothing of ours', () => {
    expect(importGraph([CATALOGUE]).get(CATALOGUE)).toEqual([])
  })

  it('the agent, the workshop (CLI and every lesson check) and the chat app have no import cycle', () => {
    const checks = readdirSync(resolve(root, 'checker/checks')).filter(file => file.endsWith('.ts')).map(file => `checker/checks/${file}`)
    const graph = importGraph(['agent/main.ts', 'checker/cli/lesson.ts', 'checker/cli/check.ts', 'checker/cli/hint.ts', 'visualizer/src/main.ts', ...checks])
    expect([...graph.keys()].filter(file => file.startsWith('checker/checks/0')).length).toBeGreaterThanOrEqual(3)
    expect(cycles(graph)).toEqual([])
  })
})
