import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalogue } from '../lessons/catalogue.ts'
import { ensureVisualizerBuilt, startWebServer } from './web-server.ts'

const AGENT = '/ip4/127.0.0.1/udp/9093/webrtc-direct/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ/p2p/12D3KooWQ3qMj3Hg3Y1y3sXxB9wq3r1YqVQpQ5vVZrV8Qp5QZ8Qx'
const WS = '/ip4/127.0.0.1/tcp/9092/ws/p2p/12D3KooWQ3qMj3Hg3Y1y3sXxB9wq3r1YqVQpQ5vVZrV8Qp5QZ8Qx'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmesh-web-'))
  await mkdir(join(dir, 'dist', 'assets'), { recursive: true })
  await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>LLMesh test</title>')
  await writeFile(join(dir, 'dist', 'assets', 'app.js'), 'console.log(1)')
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('startWebServer', () => {
  it('serves the app and prints a URL that points the chat at the agent', async () => {
    const server = await startWebServer({ host: '127.0.0.1', port: 0, distDir: join(dir, 'dist'), agentAddress: AGENT, agentAddresses: [AGENT, WS] })
    try {
      const url = new URL(server.url)
      expect(url.searchParams.get('agent')).toBe(AGENT)
      const page = await fetch(server.url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('LLMesh test')
      expect(await (await fetch(new URL('/assets/app.js', url))).text()).toBe('console.log(1)')
      // An unknown path is the single-page app, not a 404.
      expect(await (await fetch(new URL('/somewhere', url))).text()).toContain('LLMesh test')
    } finally {
      await server.close()
    }
  })

  it('tells the app every address it may dial in agent.json', async () => {
    const server = await startWebServer({ host: '127.0.0.1', port: 0, distDir: join(dir, 'dist'), agentAddress: AGENT, agentAddresses: [AGENT, WS] })
    try {
      const info = await (await fetch(new URL('/agent.json', server.url))).json()
      expect(info).toEqual({ address: AGENT, addresses: [AGENT, WS] })
    } finally {
      await server.close()
    }
  })

  it('lists every lesson of the catalogue for the protocol inspector, each with its topics and its page', async () => {
    const server = await startWebServer({ host: '127.0.0.1', port: 0, distDir: join(dir, 'dist'), agentAddress: AGENT })
    try {
      const lessons = await (await fetch(new URL('/lessons.json', server.url))).json() as Array<{ id: string, number: number, topics: string[], url: string }>
      expect(lessons.map(lesson => lesson.id)).toEqual(catalogue.map(lesson => lesson.id))
      expect(lessons.length).toBeGreaterThan(0)
      expect(lessons.find(lesson => lesson.topics.includes('identify'))?.number).toBe(2)
      for (const lesson of lessons) {
        expect(lesson.url).toBe(`lessons/${lesson.id}/`)
        const page = await fetch(new URL(`/${lesson.url}`, server.url))
        expect(page.headers.get('content-type')).toContain('text/html')
        const html = await page.text()
        expect(html).toContain(`npm run lesson ${lesson.number}`)
        expect(html).toContain(`Lesson ${lesson.number}`) // the README itself, not the fallback page
      }
    } finally {
      await server.close()
    }
  })

  it('names the flag to change when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      await expect(startWebServer({ host: '127.0.0.1', port, distDir: join(dir, 'dist'), agentAddress: AGENT }))
        .rejects.toThrow(new RegExp(`port ${port} is already in use.*--http-port`))
    } finally {
      blocker.close()
    }
  })

  it('prints a URL a browser can open when listening on every interface', async () => {
    const server = await startWebServer({ host: '0.0.0.0', port: 0, distDir: join(dir, 'dist'), agentAddress: AGENT })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?agent=/)
    } finally {
      await server.close()
    }
  })
})

describe('ensureVisualizerBuilt', () => {
  it('builds once, then finds the build fresh', async () => {
    const distDir = join(dir, 'built')
    const lines: string[] = []
    expect(await ensureVisualizerBuilt({ distDir, log: line => lines.push(line) })).toEqual({ built: true })
    expect(lines).toHaveLength(1)
    expect(await readFile(join(distDir, 'index.html'), 'utf8')).toContain('<div id="app">')
    // Built under vitest (NODE_ENV=test), it is still a production build: no dev-mode Vue.
    expect(process.env.NODE_ENV).toBe('test')
    const assets = await readdir(join(distDir, 'assets'))
    const js = await Promise.all(assets.filter(f => f.endsWith('.js')).map(async f => await readFile(join(distDir, 'assets', f), 'utf8')))
    expect(js.length).toBeGreaterThan(0)
    expect(js.some(code => code.includes('[Vue warn]'))).toBe(false)
    expect(await ensureVisualizerBuilt({ distDir, log: line => lines.push(line) })).toEqual({ built: false })
    expect(lines).toHaveLength(1)
  }, 90_000)
})
