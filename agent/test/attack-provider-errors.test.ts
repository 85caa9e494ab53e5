/**
 * Issue 13, item 7: what went wrong with the model is the operator's business.
 * The chat hears "my model is unavailable"; the log gets the details, with
 * credentials in URLs redacted.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { refusedUrl, startFakeOllama } from '../llm/test/fake-llm-servers.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

const closers: Array<() => Promise<void>> = []
afterAll(async () => {
  await stopAll()
  for (const close of closers) await close()
})

const withPassword = (url: string): string => url.replace('http://', 'http://llmesh:hunter2@')

describe('provider errors', () => {
  it('an unreachable Ollama: the chat hears the model is unavailable, the log hears why, without the password', async () => {
    const host = withPassword(await refusedUrl())
    const agent = await testAgent({ llm: { ollamaHost: host, model: 'llama3.2' } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    await peer.say('tell me a story')
    const answer = await peer.waitForChat(l => l.from === agent.peerId && !l.text.startsWith('🛸 Welcome'))
    expect(answer.text).toMatch(/model is unavailable/i)
    expect(answer.text).not.toContain('hunter2')
    expect(answer.text).not.toContain('127.0.0.1')
    expect(answer.text).not.toMatch(/refused/i)
    const log = agent.lines.join('\n')
    // (fetch refuses a URL with credentials in it before connecting; the log names it, redacted.)
    expect(log).toMatch(/skipped ollama: .*http:\/\/\*\*\*@127\.0\.0\.1/)
    expect(log).not.toContain('hunter2')
  })

  it('a model failing mid-answer: no error text in the chat or the reply chunks, only in the log', async () => {
    const ollama = await startFakeOllama({ errorMessage: 'model runner crashed (see http://admin:hunter2@10.0.0.5/logs)' })
    closers.push(ollama.close)
    ollama.setBehaviour('error-mid-stream', { reply: ['The ', 'mesh ', 'is ', 'vast'] })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, model: 'llama3.2' } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    await peer.say('tell me about the mesh')
    const answer = await peer.waitForChat(l => l.from === agent.peerId && l.text.startsWith('The mesh'))
    expect(answer.text).toMatch(/model stopped/i)
    const published = [answer.text, ...peer.extension.map(e => JSON.stringify(e.message))].join('\n')
    expect(published).not.toContain('hunter2')
    expect(published).not.toContain('crashed')
    const log = agent.lines.join('\n')
    expect(log).toContain('crashed')
    expect(log).not.toContain('hunter2')
  })
})
