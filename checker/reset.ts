/**
 * `npm run lesson -- --reset N`: put the lesson's starter file(s) back, after
 * copying the learner's version to `.llmesh/backups/<lesson>/`.
 *
 * Starters are restored from the pristine copy in `lessons/.NN-name/`
 * rather than from git: that works without git (a zip download), and still
 * restores the starter after the learner committed their own work.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LessonMeta } from './lesson-types.ts'
import { lessonDir, starterDir, stateDir } from './paths.ts'

export interface ResetFile {
  file: string
  /** Where the learner's version went; undefined when it was already the starter (or missing). */
  backup?: string
}

export interface ResetFolders {
  lesson: string
  starter: string
  backups: string
}

export function resetFolders (lesson: LessonMeta): ResetFolders {
  return { lesson: lessonDir(lesson.id), starter: starterDir(lesson.id), backups: join(stateDir(), 'backups', lesson.id) }
}

export async function resetLesson (lesson: LessonMeta, folders = resetFolders(lesson), now = new Date()): Promise<ResetFile[]> {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const reset: ResetFile[] = []
  for (const name of lesson.files) {
    const file = join(folders.lesson, name)
    const starter = join(folders.starter, name)
    const pristine = await readFile(starter) // fails loudly if the pristine copy is missing
    const current = await readOrUndefined(file)
    let backup: string | undefined
    if (current != null && !current.equals(pristine)) {
      await mkdir(folders.backups, { recursive: true })
      backup = join(folders.backups, `${stamp}-${name}`)
      await copyFile(file, backup)
    }
    await copyFile(starter, file)
    reset.push({ file, ...(backup != null ? { backup } : {}) })
  }
  return reset
}

async function readOrUndefined (file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
