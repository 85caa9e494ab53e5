/**
 * Find the workshop lesson that teaches a topic, from the lesson list the
 * server publishes at `lessons.json` (see visualizer/server/lesson-index.ts):
 * each lesson names its topics in lessons/catalogue.ts.
 */
import * as v from 'valibot'
import { LESSON_TOPICS } from '../../../lessons/catalogue.ts'
import type { LessonTopic } from '../../../lessons/catalogue.ts'

const LessonLinkSchema = v.object({
  id: v.string(),
  number: v.number(),
  title: v.string(),
  topics: v.array(v.picklist(LESSON_TOPICS)),
  url: v.string()
})

export type LessonLink = v.InferOutput<typeof LessonLinkSchema>

/** The earliest lesson that lists the topic introduces it. */
export function lessonFor (topic: LessonTopic, lessons: readonly LessonLink[]): LessonLink | undefined {
  return [...lessons].sort((a, b) => a.number - b.number).find(lesson => lesson.topics.includes(topic))
}

export async function fetchLessons (): Promise<LessonLink[]> {
  try {
    const response = await fetch('./lessons.json', { signal: AbortSignal.timeout(2000) })
    if (!response.ok) return []
    const parsed = v.safeParse(v.array(LessonLinkSchema), await response.json())
    return parsed.success ? parsed.output : []
  } catch {
    return []
  }
}
