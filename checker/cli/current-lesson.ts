/**
 * Which lesson a command means: the one named on the command line, or the
 * current one from the progress file.
 */
import type { LessonMeta } from '../lesson-types.ts'
import { findLesson, lessonByIdOrFirst, unknownLessonMessage } from '../lesson-lookup.ts'
import { loadProgress } from '../progress.ts'
import { UsageError } from './usage-error.ts'

export async function chosenLesson (query: string | undefined): Promise<LessonMeta> {
  if (query != null) {
    const lesson = findLesson(query)
    if (lesson == null) throw new UsageError(unknownLessonMessage(query))
    return lesson
  }
  return await currentLesson()
}

export async function currentLesson (): Promise<LessonMeta> {
  const { progress } = await loadProgress()
  return lessonByIdOrFirst(progress.current)
}
