/**
 * The layers of the tree, as docs/decisions.md draws them, checked on the real
 * import graph as TypeScript resolves it (type-only imports included): the agent
 * is the product and never loads the workshop engine, and no module imports
 * itself back through others.
 */
import { readFileSync } from 'node:fs'
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

describe('module boundaries', () => {
  it('the agent never imports the workshop (checker/, lessons/, solutions/)', () => {
    const files = [...importGraph(['agent/main.ts']).keys()]
    expect(files.length).toBeGreaterThan(20)
    expect(files.filter(file => /^(checker|lessons|solutions)\//.test(file))).toEqual([])
  })

  it('the agent, the workshop CLI and the chat app have no import cycle', () => {
    const graph = importGraph(['agent/main.ts', 'checker/cli/lesson.ts', 'checker/cli/check.ts', 'checker/cli/hint.ts', 'visualizer/src/main.ts'])
    expect([...graph.keys()].some(file => file.startsWith('checker/engine/'))).toBe(true)
    expect(cycles(graph)).toEqual([])
  })
})
