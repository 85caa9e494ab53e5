/**
 * Find a lesson from what a learner types: `3`, `03`, `03-gossipsub-chat` or `gossip`.
 */
import { lessonNumber } from './lesson-types.ts'
import type { LessonMeta } from './lesson-types.ts'
import { lessons } from './lessons.ts'

export function findLesson (query: string, all: LessonMeta[] = lessons): LessonMeta | undefined {
  const text = query.trim().toLowerCase()
  if (/^\d+$/.test(text)) return all.find(lesson => lessonNumber(lesson) === Number(text))
  return all.find(lesson => lesson.id === text) ?? all.find(lesson => lesson.id.includes(text))
}

export function lessonByIdOrFirst (id: string | undefined, all: LessonMeta[] = lessons): LessonMeta {
  const found = all.find(lesson => lesson.id === id) ?? all[0]
  if (found == null) throw new Error('there are no lessons in checker/lessons.ts')
  return found
}

export function nextLesson (lesson: LessonMeta, all: LessonMeta[] = lessons): LessonMeta | undefined {
  return all[all.indexOf(lesson) + 1]
}

export function unknownLessonMessage (query: string, all: LessonMeta[] = lessons): string {
  return `there is no lesson "${query}": pick one of ${all.map(lesson => lessonNumber(lesson)).join(', ')} (npm run lesson lists them).`
}
