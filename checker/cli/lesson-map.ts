/**
 * npm run lesson-map   rewrite the lesson tables in README.md and docs/workshop.md from checker/lessons.ts
 */
import { writeLessonMaps } from '../lesson-map.ts'

const changed = await writeLessonMaps()
process.stdout.write(changed.length > 0 ? `rewrote the lesson map in ${changed.join(' and ')}\n` : 'the lesson maps are up to date\n')
