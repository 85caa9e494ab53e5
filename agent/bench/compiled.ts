/**
 * The hub process compiled to one JavaScript file (esbuild, packages left external),
 * so its memory can be measured without tsx: under tsx every module's source is
 * compiled and held by tsx's loader, tens of MB that a compiled agent does not carry.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { REPO_ROOT } from '../config.ts'

export async function compiledHubProcess (): Promise<string> {
  const outfile = join(REPO_ROOT, 'node_modules', '.cache', 'llmesh-bench', 'hub-process.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('./hub-process.ts', import.meta.url))],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error'
  })
  return outfile
}
