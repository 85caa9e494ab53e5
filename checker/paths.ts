/**
 * Where things live. Everything is resolved from the repository root, so the
 * commands work from any working directory.
 */
import { join, relative, resolve } from 'node:path'
import { REPO_ROOT } from '../mesh/repo-root.ts'

export { REPO_ROOT }

export const lessonsDir = join(REPO_ROOT, 'lessons')
export const solutionsDir = join(REPO_ROOT, 'solutions')

/** The learner's copy of a lesson: the folder they edit. */
export function lessonDir (lessonId: string): string {
  return join(lessonsDir, lessonId)
}

export function solutionDir (lessonId: string): string {
  return join(solutionsDir, lessonId)
}

/**
 * Pristine starter files, restored by `npm run lesson -- --reset N`: the hidden
 * twin of the lesson folder, `lessons/.NN-name/`. A twin at the same depth keeps
 * their relative imports (`../../mesh/…`) working, so tests run them as they are.
 */
export function starterDir (lessonId: string): string {
  return join(lessonsDir, `.${lessonId}`)
}

/**
 * Progress and backups. Git-ignored; tests point LLMESH_STATE_DIR at a temp
 * dir so they never touch a learner's real progress.
 */
export function stateDir (): string {
  const fromEnv = process.env.LLMESH_STATE_DIR
  return fromEnv != null && fromEnv !== '' ? resolve(fromEnv) : join(REPO_ROOT, '.llmesh')
}

/** A path as a learner would type it: relative to the repository root. */
export function displayPath (path: string): string {
  const rel = relative(REPO_ROOT, path)
  return rel.startsWith('..') ? path : rel
}
