/**
 * `npm run lesson -- --reset N` restores the starter and keeps the learner's
 * version. Runs on temp folders: a test must never touch a learner's lesson file.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { resetLesson } from '../reset.ts'
import type { ResetFolders } from '../reset.ts'
import { lesson } from './helpers.ts'

let root: string
let folders: ResetFolders

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'llmesh-reset-'))
  folders = { lesson: join(root, 'lesson'), starter: join(root, 'starter'), backups: join(root, 'backups') }
  await mkdir(folders.lesson)
  await mkdir(folders.starter)
  await writeFile(join(folders.starter, 'node.ts'), '// starter\n')
})
afterEach(async () => { await rm(root, { recursive: true, force: true }) })

it('restores the starter and backs up the learner\'s version', async () => {
  await writeFile(join(folders.lesson, 'node.ts'), '// my work\n')
  const [reset] = await resetLesson(lesson('1'), folders, new Date('2025-01-02T03:04:05Z'))
  expect(await readFile(join(folders.lesson, 'node.ts'), 'utf8')).toBe('// starter\n')
  expect(reset?.backup).toBe(join(folders.backups, '2025-01-02T03-04-05-000Z-node.ts'))
  expect(await readFile(reset?.backup ?? '', 'utf8')).toBe('// my work\n')
})

it('makes no backup when the file is already the starter, and recreates a deleted file', async () => {
  await writeFile(join(folders.lesson, 'node.ts'), '// starter\n')
  expect((await resetLesson(lesson('1'), folders))[0]?.backup).toBeUndefined()
  await rm(join(folders.lesson, 'node.ts'))
  expect((await resetLesson(lesson('1'), folders))[0]?.backup).toBeUndefined()
  expect(await readFile(join(folders.lesson, 'node.ts'), 'utf8')).toBe('// starter\n')
  await expect(readdir(folders.backups)).rejects.toThrow()
})
