import { describe, expect, it, vi } from 'vitest'
import { CHAT_TOPIC, MAX_CHAT_BYTES } from '../../mesh/protocol.ts'
import { isAddressedTo, stripLeadingAddress } from '../addressing.ts'
import { ChatPublisher, splitUtf8 } from '../chat-publisher.ts'
import { ConfigError, loadConfig } from '../options.ts'
import { parsePersona } from '../persona.ts'
import { AnswerGate, CONNECTION_BURST, OVERALL_BURST, PeerRateLimiter } from '../rate-limit.ts'
import { DropLog } from '../drop-log.ts'
import { Conversations } from '../conversations.ts'

describe('PeerRateLimiter', () => {
  it('allows a burst, refuses the flood with one notice, and refills over time', () => {
    let now = 0
    const limiter = new PeerRateLimiter(3, 5, () => now)
    const decisions = Array.from({ length: 10 }, () => limiter.take('alice'))
    expect(decisions.filter(d => d.allowed)).toHaveLength(3)
    expect(decisions.filter(d => d.notify)).toHaveLength(1)
    expect(decisions[3]).toMatchObject({ allowed: false, notify: true, retryAfterSeconds: 5 })
    expect(limiter.take('bob').allowed).toBe(true)
    now += 5000
    expect(limiter.take('alice')).toMatchObject({ allowed: true })
    expect(limiter.take('alice')).toMatchObject({ allowed: false, notify: true })
  })

  it('forgets the least recently seen keys, not a busy one', () => {
    const limiter = new PeerRateLimiter(1, 60, () => 0, 10)
    expect(limiter.take('busy').allowed).toBe(true)
    for (let i = 0; i < 100; i++) {
      limiter.take(`throwaway-${i}`)
      if (i % 5 === 0) expect(limiter.take('busy').allowed).toBe(false)
    }
    // A forgotten key starts again with a full bucket.
    expect(limiter.take('throwaway-0').allowed).toBe(true)
  })
})

describe('Conversations', () => {
  it('keeps the last turns per peer and forgets the least recently heard peers', () => {
    const conversations = new Conversations(2, 10)
    for (const content of ['one', 'two', 'three']) conversations.add('alice', { role: 'user', content })
    expect(conversations.history('alice').map(m => m.content)).toEqual(['two', 'three'])
    for (let i = 0; i < 100; i++) {
      conversations.add(`throwaway-${i}`, { role: 'user', content: 'hi' })
      if (i % 5 === 0) conversations.add('alice', { role: 'assistant', content: `answer ${i}` })
    }
    expect(conversations.history('alice')).toHaveLength(2)
    expect(conversations.history('throwaway-0')).toEqual([])
  })
})

describe('ChatPublisher', () => {
  it('never publishes the same text twice in a row', async () => {
    const sent: string[] = []
    const publisher = new ChatPublisher({
      publish: async (topic, data) => {
        expect(topic).toBe(CHAT_TOPIC)
        sent.push(new TextDecoder().decode(data))
        return { recipients: [] }
      }
    })
    await publisher.say('hello')
    await publisher.say('hello')
    await publisher.say('hello')
    await publisher.say('other')
    await publisher.say('hello')
    for (let i = 1; i < sent.length; i++) expect(sent[i]).not.toBe(sent[i - 1])
    expect(sent[0]).toBe('hello')
    expect(sent[3]).toBe('other')
    expect(sent[4]).toBe('hello')
  })

  it('splits long text into pieces under the chat size limit without breaking characters', () => {
    const text = '🛸'.repeat(3000)
    const parts = splitUtf8(text, MAX_CHAT_BYTES)
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.join('')).toBe(text)
    for (const part of parts) expect(new TextEncoder().encode(part).byteLength).toBeLessThanOrEqual(MAX_CHAT_BYTES)
  })
})

describe('addressing', () => {
  it('recognises a message addressed to an agent by name', () => {
    expect(isAddressedTo('Alien X', 'Alien X, what is yamux?')).toBe(true)
    expect(isAddressedTo('Alien X', '@alien x hi')).toBe(true)
    expect(isAddressedTo('Alien X', 'hey @Alien X')).toBe(true)
    expect(isAddressedTo('Alien X', '🛸 Welcome to the mesh, …abc123. I am Alien X.')).toBe(false)
    expect(isAddressedTo('Alien X', 'Alien Xylophone')).toBe(false)
  })

  it('strips a leading address so an answer never addresses the agent it answers', () => {
    expect(stripLeadingAddress('Nova', 'Nova, hello')).toBe('hello')
    expect(stripLeadingAddress('Nova', '@Nova: hello')).toBe('hello')
    expect(stripLeadingAddress('Nova', 'hello Nova')).toBe('hello Nova')
  })
})

describe('persona files', () => {
  it('read the name from the first heading and the prompt from the rest', () => {
    expect(parsePersona('# Nova\nYou are Nova, a helpful star.\n')).toEqual({ name: 'Nova', systemPrompt: 'You are Nova, a helpful star.' })
    expect(() => parsePersona('no heading')).toThrow(/"# Name" heading/)
    expect(() => parsePersona('# Nova\n')).toThrow(/system prompt/)
  })
})

describe('configuration', () => {
  it('reads flags over environment variables over defaults', () => {
    const config = loadConfig(['--ws-port', '7000', '--bootstrap', '/ip4/1.2.3.4/tcp/1/p2p/x', '--offline'], {
      LLMESH_WS_PORT: '6000',
      LLMESH_TCP_PORT: '6001',
      LLMESH_BOOTSTRAP: '/a,/b',
      OLLAMA_HOST: 'http://gpu:11434',
      OPENAI_API_KEY: 'sk'
    })
    if (config === 'help') throw new Error('unexpected help')
    expect(config.wsPort).toBe(7000)
    expect(config.tcpPort).toBe(6001)
    expect(config.webrtcPort).toBe(9093)
    expect(config.bootstrap).toEqual(['/ip4/1.2.3.4/tcp/1/p2p/x', '/a', '/b'])
    expect(config.llm).toMatchObject({ ollamaHost: 'http://gpu:11434', openaiApiKey: 'sk', offlineOnly: true })
  })

  it('explains bad input in one line', () => {
    expect(() => loadConfig(['--ws-port', '70000'], {})).toThrow(new ConfigError('--ws-port must be a port number from 0 to 65535, got "70000"'))
    expect(() => loadConfig(['--frobnicate'], {})).toThrow(/--help/)
  })
})

describe('AnswerGate', () => {
  it('limits a connection relaying many authors, not only each author', () => {
    const gate = new AnswerGate({ authorBurst: 3, authorRefillSeconds: 5 })
    const admitted = Array.from({ length: 100 }, (_, i) => gate.admit(`throwaway-${i}`, 'flooder')).filter(a => a.allowed)
    expect(admitted.length).toBeLessThanOrEqual(CONNECTION_BURST)
    // One notice, to the connection that delivered the flood.
    const refusals = Array.from({ length: 10 }, (_, i) => gate.admit(`more-${i}`, 'flooder'))
    expect(refusals.every(r => !r.allowed && r.reason === 'connection')).toBe(true)
    expect(refusals.filter(r => !r.allowed && r.tell === 'flooder')).toHaveLength(0)
    // An honest peer on its own connection still gets through.
    expect(gate.admit('honest', 'honest').allowed).toBe(true)
  })

  it('caps model calls overall, whoever asks', () => {
    const gate = new AnswerGate({ authorBurst: 3, authorRefillSeconds: 5 })
    const admitted = Array.from({ length: 50 }, (_, i) => gate.admit(`peer-${i}`, `peer-${i}`)).filter(a => a.allowed)
    expect(admitted).toHaveLength(OVERALL_BURST)
  })
})

describe('DropLog', () => {
  it('logs a flood as one line at its start and one summary per interval', () => {
    vi.useFakeTimers()
    try {
      const lines: string[] = []
      const drops = new DropLog(line => lines.push(line), 10_000)
      for (let i = 0; i < 5000; i++) drops.drop(`peer-${i % 7}`, 'rate limit')
      expect(lines).toHaveLength(1)
      vi.advanceTimersByTime(10_000)
      expect(lines).toHaveLength(2)
      expect(lines[1]).toMatch(/^dropped 4999 messages in the last 10 s from 7 senders/)
      // A quiet interval ends it; the next drop is reported at once.
      vi.advanceTimersByTime(10_000)
      expect(lines).toHaveLength(2)
      drops.drop('peer-1', 'rate limit')
      expect(lines).toHaveLength(3)
      drops.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
