/**
 * Finding a browser the way people have one: CHROMIUM_PATH first, then the
 * system's browsers, then Playwright's download cache; only files that can run count.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumCandidates, findChromium, installAdvice } from '../chromium.ts'

const dirs: string[] = []
afterEach(async () => { await Promise.all(dirs.splice(0).map(async d => { await rm(d, { recursive: true, force: true }) })) })

async function executable (path: string, mode = 0o755): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, '#!/bin/sh\n')
  await chmod(path, mode)
  return path
}

describe('finding Chromium', () => {
  it('asks CHROMIUM_PATH first, then the system, then Playwright\'s cache (newest first)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'llmesh-home-')); dirs.push(home)
    await executable(join(home, '.cache/ms-playwright/chromium-1100/chrome-linux/chrome'))
    await executable(join(home, '.cache/ms-playwright/chromium-1200/chrome-linux64/chrome'))
    const linux = chromiumCandidates({ CHROMIUM_PATH: '/opt/mine/chrome' }, 'linux', home)
    expect(linux[0]).toBe('/opt/mine/chrome')
    expect(linux).toContain('/usr/bin/chromium')
    expect(linux.indexOf('/usr/bin/chromium')).toBeLessThan(linux.indexOf('/usr/bin/google-chrome'))
    const cached = linux.filter(p => p.startsWith(home))
    expect(cached[0]).toContain('chromium-1200')
    expect(chromiumCandidates({}, 'darwin', home)).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')
  })

  it('takes the first candidate that exists and can be run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llmesh-bin-')); dirs.push(dir)
    const notRunnable = await executable(join(dir, 'a'), 0o644)
    const runnable = await executable(join(dir, 'b'))
    expect(findChromium([join(dir, 'missing'), notRunnable, runnable])).toBe(runnable)
    expect(findChromium([join(dir, 'missing')])).toBeUndefined()
  })

  it('names one command to run when there is none', () => {
    expect(installAdvice('linux')).toMatch(/apt-get install chromium/)
    expect(installAdvice('darwin')).toMatch(/brew install --cask chromium/)
  })
})
