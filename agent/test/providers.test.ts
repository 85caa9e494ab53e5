/**
 * Chat round trips through each provider: a peer publishes, the agent answers.
 * Ollama and OpenAI are the real clients talking to local servers that speak
 * their real wire formats (NDJSON and SSE).
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { ReplyChunk } from '../../mesh/extension.ts'
import { refusedUrl, startFakeOllama, startFakeOpenAI } from '../llm/test/fake-llm-servers.ts'
import { identifiedBy, joinAgent, stopAll, testAgent, testPeer } from './harness.ts'
import type { TestPeer } from './harness.ts'

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  await stopAll()
  for (const close of cleanups) await close()
})

async function fakeOllama (...args: Parameters<typeof startFakeOllama>) {
  const server = await startFakeOllama(...args)
  cleanups.push(server.close)
  return server
}
async function fakeOpenAI (...args: Parameters<typeof startFakeOpenAI>) {
  const server = await startFakeOpenAI(...args)
  cleanups.push(server.close)
  return server
}

/** Ask a question and collect the agent's streamed chunks and its final chat message. */
async function ask (peer: TestPeer, agentId: string, question: string) {
  const before = peer.chat.length
  const chunksBefore = peer.extension.length
  await peer.say(question)
  const answer = await peer.waitForChat(line => line.from === agentId && peer.chat.indexOf(line) >= before && !line.text.startsWith('🛸 Welcome'), 15_000)
  const chunks = await vi.waitFor(() => {
    const mine = peer.extension.slice(chunksBefore).map(e => e.message).filter((m): m is ReplyChunk => m.type === 'reply')
    if (!mine.some(c => c.done)) throw new Error('still waiting for the final reply chunk')
    return mine
  }, { timeout: 5000, interval: 25 })
  return { answer, chunks }
}

describe('answers through the provider chain', () => {
  it('streams an Ollama answer in order, then publishes it on the chat topic, with bounded context', async () => {
    const ollama = await fakeOllama({ reply: ['Greetings', ', traveller', '. The mesh', ' hums.'], chunkDelayMs: 80 })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, model: 'llama3.2' }, contextTurns: 2 })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    await identifiedBy(agent, peer)

    const { answer, chunks } = await ask(peer, agent.peerId, 'hello there')
    expect(answer.text).toBe('Greetings, traveller. The mesh hums.')
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.map(c => c.index)).toEqual(chunks.map((_, i) => i))
    expect(chunks.map(c => c.delta).join('')).toBe(answer.text)
    expect(chunks.every(c => c.provider === 'ollama' && c.model === 'llama3.2')).toBe(true)
    expect(chunks[0]?.inReplyTo?.from).toBe(peer.id)

    const first = ollama.requests.at(-1)!
    expect(first.body.model).toBe('llama3.2')
    expect(first.body.messages?.[0]).toMatchObject({ role: 'system' })
    expect(first.body.messages?.[0]?.content).toContain('Alien X')
    // The model is told who is in the mesh, by name.
    expect(first.body.messages?.[0]?.content).toContain(`${peer.id.slice(-6)} (terminal via tcp)`)
    expect(first.body.messages?.[0]?.content).not.toContain('undefined')
    expect(first.body.messages?.at(-1)).toEqual({ role: 'user', content: 'hello there' })

    await ask(peer, agent.peerId, 'second question')
    await ask(peer, agent.peerId, 'third question')
    // contextTurns = 2: only the previous exchange is remembered, not the first one.
    const third = ollama.requests.at(-1)!.body.messages!.map(m => m.content)
    expect(third).toContain('second question')
    expect(third).not.toContain('hello there')
    expect(third.at(-1)).toBe('third question')
  })

  it('falls through a refused Ollama to an OpenAI-compatible server', async () => {
    const openai = await fakeOpenAI({ reply: ['Hello', ' from', ' OpenAI'] })
    const agent = await testAgent({ llm: { ollamaHost: await refusedUrl(), openaiBaseUrl: openai.url, openaiApiKey: 'sk-test', openaiModel: 'gpt-test' } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const { answer, chunks } = await ask(peer, agent.peerId, 'hi')
    expect(answer.text).toBe('Hello from OpenAI')
    expect(chunks[0]).toMatchObject({ provider: 'openai', model: 'gpt-test' })
    expect(openai.requests.at(-1)?.authorization).toBe('Bearer sk-test')
    expect(agent.lines.join('\n')).toMatch(/skipped ollama: .*refused/i)
  })

  it('falls through a missing Ollama model (404) and a rejected OpenAI key (401) to the offline persona', async () => {
    const ollama = await fakeOllama({ behaviour: 'missing-model' })
    const openai = await fakeOpenAI({ behaviour: 'unauthorized' })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, model: 'llama3.2', openaiBaseUrl: openai.url, openaiApiKey: 'sk-wrong' } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const { answer, chunks } = await ask(peer, agent.peerId, 'who is here?')
    expect(chunks[0]?.provider).toBe('offline')
    expect(answer.text).toContain(peer.id.slice(-6))
    const log = agent.lines.join('\n')
    expect(log).toMatch(/skipped ollama: .*llama3\.2.*(not found|404)/i)
    expect(log).toMatch(/skipped openai: .*(401|unauthori[sz]ed|OPENAI_API_KEY)/i)
  })

  it('falls through an Ollama 500 to the offline persona', async () => {
    const ollama = await fakeOllama({ behaviour: 'server-error' })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const { chunks } = await ask(peer, agent.peerId, 'what is gossipsub?')
    expect(chunks[0]?.provider).toBe('offline')
    expect(agent.lines.join('\n')).toMatch(/skipped ollama: .*500/i)
  })

  it('ends cleanly with a message when Ollama fails mid-stream, without falling through', async () => {
    const ollama = await fakeOllama({ behaviour: 'error-mid-stream', reply: ['The stars', ' are', ' aligning'] })
    const openai = await fakeOpenAI({ reply: 'should not be used' })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, openaiBaseUrl: openai.url, openaiApiKey: 'sk-test' } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const { answer, chunks } = await ask(peer, agent.peerId, 'tell me a story')
    expect(answer.text).toMatch(/^The stars/)
    expect(answer.text).toMatch(/⚠️ \(my model stopped before the answer was finished\)$/)
    expect(chunks.at(-1)).toMatchObject({ done: true, provider: 'ollama' })
    expect(chunks.at(-1)?.error).toBeTruthy()
    expect(openai.requests).toHaveLength(0)

    // The agent keeps serving after the failure.
    ollama.setBehaviour('ok', { reply: 'Recovered.' })
    const next = await ask(peer, agent.peerId, 'again?')
    expect(next.answer.text).toBe('Recovered.')
  })

  it('trims a runaway answer instead of flooding the mesh, and closes the model\'s request', async () => {
    const ollama = await fakeOllama({ reply: Array.from({ length: 200 }, (_, i) => `word${i} `.padEnd(50, '.')), chunkDelayMs: 1 })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url } })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const { answer } = await ask(peer, agent.peerId, 'talk forever')
    expect(answer.text).toMatch(/⚠️ \(the answer passed 4000 characters and was trimmed\)$/)
    expect(answer.text.length).toBeLessThan(4200)
    expect(peer.chat.filter(l => l.from === agent.peerId && !l.text.startsWith('🛸 Welcome'))).toHaveLength(1)
    await expect.poll(() => ollama.abortedRequests > 0, { timeout: 5000, interval: 25, message: 'the runaway request to be closed' }).toBe(true)
  })

  it('cuts off an answer that exceeds the reply timeout, and skips a server that never sends a first token', async () => {
    const ollama = await fakeOllama({ reply: ['slow', ' slow', ' slow', ' slow', ' slow'], chunkDelayMs: 400 })
    const agent = await testAgent({ llm: { ollamaHost: ollama.url, firstTokenTimeoutMs: 800 }, replyTimeoutMs: 1200 })
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.tcp[0]!)
    const slow = await ask(peer, agent.peerId, 'take your time')
    expect(slow.answer.text).toMatch(/^slow/)
    expect(slow.answer.text).toMatch(/longer than 1 s/)
    await expect.poll(() => ollama.abortedRequests > 0, { timeout: 5000, interval: 25, message: 'the slow request to be aborted' }).toBe(true)

    ollama.setBehaviour('hang')
    const hung = await ask(peer, agent.peerId, 'who is here?')
    expect(hung.chunks[0]?.provider).toBe('offline')
  })
})
