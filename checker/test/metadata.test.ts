/**
 * The one metadata source is consistent with the folders on disk, so adding a
 * lesson that forgets a piece fails here, not in front of a learner.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lessonNumber } from '../lesson-types.ts'
import { findLesson } from '../lesson-lookup.ts'
import { lessonMap, MAP_FILES, withLessonMap } from '../lesson-map.ts'
import { lessons } from '../lessons.ts'
import { lessonDir, REPO_ROOT, solutionDir, starterDir } from '../paths.ts'

describe('lesson metadata', () => {
  it('numbers lessons 1, 2, 3… in order, with NN-name ids', () => {
    expect(lessons.map(lessonNumber)).toEqual(lessons.map((_lesson, index) => index + 1))
    for (const lesson of lessons) expect(lesson.id).toMatch(/^\d\d-[a-z0-9-]+$/)
  })

  it.each(lessons.map(lesson => [lesson.id, lesson] as const))('%s has its text, starter, pristine copy, solution and check', async (_id, lesson) => {
    expect(existsSync(join(lessonDir(lesson.id), 'README.md'))).toBe(true)
    for (const file of lesson.files) {
      expect(existsSync(join(lessonDir(lesson.id), file)), `lessons/${lesson.id}/${file}`).toBe(true)
      expect(existsSync(join(starterDir(lesson.id), file)), `lessons/.${lesson.id}/${file}`).toBe(true)
      expect(existsSync(join(solutionDir(lesson.id), file)), `solutions/${lesson.id}/${file}`).toBe(true)
    }
    const { default: check } = await lesson.check()
    expect(typeof check).toBe('function')
    expect(Object.keys(lesson.steps)).toContain(lesson.starterFailsAt)
  })

  it.each(lessons.map(lesson => [lesson.id, lesson] as const))('%s: every step has a title, a time limit and 2–3 hints', (_id, lesson) => {
    for (const [id, step] of Object.entries(lesson.steps)) {
      expect(step.title, id).not.toBe('')
      expect(step.timeoutMs, id).toBeGreaterThan(0)
      expect(step.hints.length, id).toBeGreaterThanOrEqual(2)
      expect(step.hints.length, id).toBeLessThanOrEqual(3)
    }
  })

  it('every step a check runs is in the metadata, in the same order', () => {
    for (const lesson of lessons) {
      const source = readFileSync(join(REPO_ROOT, 'checker', 'checks', `${lesson.id}.ts`), 'utf8')
      // `lessonNHolds(…)` runs the step `lesson-N` (checks/earlier-lessons.ts).
      const used = [...source.matchAll(/run\.step\('([\w-]+)'|\[\s*'([\w-]+)',\s*'(?:tcp|ws)'|await lesson(\d)Holds\(/g)].map(m => m[1] ?? m[2] ?? `lesson-${m[3] ?? ''}`)
      const declared = Object.keys(lesson.steps).filter(id => id !== 'start')
      expect(used, lesson.id).toEqual(declared)
    }
  })

  it('the last identity hint gives what the starter lacks: the body of loadOrCreateKey', () => {
    const last = findLesson('1')?.steps.identity?.hints.at(-1) ?? ''
    const solution = readFileSync(join(solutionDir('01-identity-and-transports'), 'node.ts'), 'utf8')
    const body = /async function loadOrCreateKey[^\n]*\n([\s\S]*?)\n\}/.exec(solution)?.[1] ?? ''
    const statements = body.split('\n').map(line => line.trim()).filter(line => !/^[{}]|^(try|\} catch .*) \{$/.test(line) && line !== '')
    expect(statements.length).toBeGreaterThan(4)
    for (const statement of statements) expect(last, statement).toContain(statement)
  })

  it('lesson texts use no Markdown tables: a terminal renders them wider than the screen', () => {
    for (const lesson of lessons) {
      const text = readFileSync(join(lessonDir(lesson.id), 'README.md'), 'utf8')
      expect(text, lesson.id).not.toMatch(/^\|.*\|\s*$\n^\|[-:| ]+\|\s*$/m)
    }
  })

  it('every lesson text links to the next lesson', () => {
    for (const [index, lesson] of lessons.entries()) {
      const next = lessons[index + 1]
      if (next == null) continue
      const text = readFileSync(join(lessonDir(lesson.id), 'README.md'), 'utf8')
      expect(text, lesson.id).toContain(`](../${next.id}/README.md)`)
    }
  })

  it.each(MAP_FILES)('the lesson map in %s is the one the metadata generates (npm run lesson-map)', (file) => {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8')
    expect(withLessonMap(text, file), `${file} has no lesson-map markers`).toBeDefined()
    expect(text, 'run `npm run lesson-map`').toBe(withLessonMap(text, file))
    for (const lesson of lessons) expect(lessonMap(file)).toContain(lesson.title)
  })

  it('finds lessons the ways a learner types them', () => {
    expect(findLesson('3')?.id).toBe('03-gossipsub-chat')
    expect(findLesson('03')?.id).toBe('03-gossipsub-chat')
    expect(findLesson('02-secure-channel-and-muxing')?.id).toBe('02-secure-channel-and-muxing')
    expect(findLesson('gossip')?.id).toBe('03-gossipsub-chat')
    expect(findLesson('9')).toBeUndefined()
  })
})
