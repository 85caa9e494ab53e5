/**
 * Find the workshop lesson that teaches a topic, from the lesson list the
 * server publishes at `lessons.json` (see visualizer/server/lesson-index.ts).
 */
import { TOPIC_KEYWORDS } from './protocol-explanations.ts'
import type { LessonTopic } from './protocol-explanations.ts'

export interface LessonLink {
  id: string
  number: number
  title: string
  url: string
}

export function lessonFor (topic: LessonTopic, lessons: readonly LessonLink[]): LessonLink | undefined {
  const words = TOPIC_KEYWORDS[topic]
  // The earliest lesson that mentions the topic introduces it.
  for (const lesson of [...lessons].sort((a, b) => a.number - b.number)) {
    const haystack = `${lesson.id} ${lesson.title}`.toLowerCase()
    if (words.some(word => haystack.includes(word))) return lesson
  }
  return undefined
}

export async function fetchLessons (): Promise<LessonLink[]> {
  try {
    const response = await fetch('./lessons.json', { signal: AbortSignal.timeout(2000) })
    if (!response.ok) return []
    const body: unknown = await response.json()
    if (!Array.isArray(body)) return []
    return body.filter((l): l is LessonLink =>
      typeof l === 'object' && l != null && typeof l.id === 'string' && typeof l.number === 'number' &&
      typeof l.title === 'string' && typeof l.url === 'string')
  } catch {
    return []
  }
}
