/**
 * mesh/dm.ts is protons output: it must be exactly what `npm run generate:protobuf`
 * makes of mesh/dm.proto, so nobody edits it by hand or forgets to regenerate it.
 */
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))
const dir = await mkdtemp(join(tmpdir(), 'llmesh-protons-'))
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

it('mesh/dm.ts is what protons generates from mesh/dm.proto', async () => {
  await copyFile(here('../dm.proto'), join(dir, 'dm.proto'))
  await promisify(execFile)(here('../../node_modules/.bin/protons'), [join(dir, 'dm.proto')])
  const generated = await readFile(join(dir, 'dm.ts'), 'utf8')
  expect(await readFile(here('../dm.ts'), 'utf8')).toBe(generated)
}, 60_000)
