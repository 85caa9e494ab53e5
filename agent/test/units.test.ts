import { describe, expect, it } from 'vitest'
import { CHAT_TOPIC, MAX_CHAT_BYTES } from '../../mesh/protocol.ts'
import { isAddressedTo, stripLeadingAddress } from '../addressing.ts'
import { ChatPublisher, splitUtf8 } from '../chat-publisher.ts'
import { ConfigError, loadConfig } from '../options.ts'
import { parsePersona } from '../persona.ts'
import { PeerRateLimiter } from '../rate-limit.ts'

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
