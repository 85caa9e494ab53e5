import { describe, expect, it } from 'vitest'
import { offlinePersona, offlineReply } from './offline.ts'
import type { MeshFacts } from './offline.ts'
import type { PromptMessage } from './types.ts'
import { collect } from './test/helpers.ts'

const facts: MeshFacts = {
  agentName: 'Alien X',
  selfPeerId: '12D3KooWSelfAgentPeerIdQ7xK2m',
  peers: [
    { peerId: '12D3KooWBrowserPeerOneAbc123', name: 'Ada', role: 'browser', transports: ['webrtc-direct'], rttMs: 12.4 },
    { peerId: '12D3KooWTerminalPeerTwoXyz789', role: 'terminal', transports: ['tcp', 'ws'] }
  ],
  chatSubscribers: 3
}

const ask = (text: string): PromptMessage[] => [{ role: 'system', content: 'You are Alien X.' }, { role: 'user', content: text }]

describe('offlinePersona', () => {
  it('"who is here?" lists the real peers, their transports and the subscriber count', async () => {
    const persona = offlinePersona(() => facts)
    const text = (await collect(persona.stream(ask('who is here?')))).join('')

    expect(text).toContain('2 peers are connected to me, Alien X (…Q7xK2m)')
    expect(text).toContain('…Abc123 (Ada, browser) via webrtc-direct, 12 ms')
    expect(text).toContain('…Xyz789 (terminal) via tcp + ws')
    expect(text).toContain('3 peers are subscribed to the chat topic')
    expect(text).not.toContain('GossipSub') // "peers" is not a concept question
  })

  it.each(['Who\u2019s connected?', 'list the peers', 'who is in the mesh?', 'how many peers are online'])('"%s" is a question about peers', question => {
    expect(offlineReply(question, facts)).toContain('…Abc123')
  })

  it('says so when nobody else is connected', () => {
    const text = offlineReply('who is here', { ...facts, peers: [], chatSubscribers: 1 })
    expect(text).toContain('no other peer is connected')
    expect(text).toContain('1 peer is subscribed')
  })

  it.each([
    ['what does noise do?', ['Noise', 'encrypts', 'lesson 2']],
    ['explain yamux multiplexing', ['multiplexer', 'lesson 2']],
    ['how does gossipsub work?', ['GossipSub', 'lesson 3', 'universal-connectivity']],
    ['what is a multiaddr', ['/ip4/127.0.0.1/tcp', 'lesson 1']],
    ['what is my peer id?', ['public key', 'lesson 1']],
    ['why do browsers need a relay?', ['circuit relay', 'p2p-circuit']],
    ['what is webrtc-direct', ['certhash']],
    ['how does mdns discovery work', ['multicast DNS']],
    ['what is the DHT for?', ['Kademlia']],
    ['what does identify do?', ['/ipfs/id/1.0.0', 'lesson 2']],
    ['why ping?', ['/ipfs/ping/1.0.0', 'round-trip']],
    ['tell me about websockets', ['WebSockets', 'lesson 1']]
  ])('explains "%s"', (question, expected) => {
    const text = offlineReply(question, facts)
    for (const fragment of expected) expect(text.toLowerCase()).toContain(fragment.toLowerCase())
    // An explanation, not the fallback; it still says plainly that no model answered.
    expect(text).not.toContain('To wake my full mind')
    expect(text).toContain('no language model is attached')
    const explanation = text.replace(/\s*\(Offline persona: no language model is attached\.\)$/, '')
    const sentences = explanation.replaceAll('e.g.', 'eg').split(/(?<=[.!?])\s+/).length
    expect(sentences).toBeGreaterThanOrEqual(2)
    expect(sentences).toBeLessThanOrEqual(4)
  })

  it('answers the last user message, not earlier ones', () => {
    const persona = offlinePersona(() => facts)
    const history: PromptMessage[] = [
      { role: 'system', content: 'You are Alien X.' },
      { role: 'user', content: 'who is here?' },
      { role: 'assistant', content: 'Two peers.' },
      { role: 'user', content: 'and what is yamux?' }
    ]
    return collect(persona.stream(history)).then(deltas => {
      const text = deltas.join('')
      expect(text).toContain('multiplexer')
      expect(text).not.toContain('…Abc123')
    })
  })

  it.each(['help', 'tell me a joke', ''])('"%s" → says plainly that no model is attached and how to attach one', question => {
    const text = offlineReply(question, facts)
    expect(text).toContain('no language model is attached')
    expect(text).toContain('OLLAMA_HOST')
    expect(text).toContain('`ollama pull llama3.2`')
    expect(text).toContain('OPENAI_API_KEY')
    expect(text).toContain('OPENAI_BASE_URL')
    expect(text).toContain('who is here?')
    expect(text).toContain('gossipsub')
  })

  it('says the model is unavailable, keeping the reasons (hosts, configuration) out of the chat', async () => {
    const persona = offlinePersona(() => facts)
    const text = (await collect(persona.stream(ask('hi'), { skipped: ['ollama: connection refused at http://127.0.0.1:11434'] }))).join('')
    expect(text).toContain('my model is unavailable')
    expect(text).not.toContain('127.0.0.1')
    expect(text).not.toContain('refused')
  })

  it('explains the missing model once per conversation, then answers briefly', async () => {
    const persona = offlinePersona(() => facts)
    const first = (await collect(persona.stream(ask('tell me a joke')))).join('')
    const again = (await collect(persona.stream([...ask('tell me a joke'), { role: 'assistant', content: first }, { role: 'user', content: 'and another?' }]))).join('')
    expect(first).toContain('OPENAI_API_KEY')
    expect(again).not.toContain('OPENAI_API_KEY')
    expect(again).not.toContain('\n')
    expect(again.length).toBeLessThan(first.length / 2)
    expect(again).toContain('who is here?')
  })

  it('is deterministic and streams a few word groups that join to the whole reply', async () => {
    const persona = offlinePersona(() => facts)
    const first = await collect(persona.stream(ask('what does noise do?')))
    const second = await collect(persona.stream(ask('what does noise do?')))
    expect(second).toEqual(first)
    expect(first.length).toBeGreaterThan(3)
    expect(first.join('')).toBe(offlineReply('what does noise do?', facts))
    expect(persona.name).toBe('offline')
    expect(persona.model).toBe('alien-x-offline')
  })

  it('still answers when the facts source throws', async () => {
    const persona = offlinePersona(() => { throw new Error('node not started') })
    const text = (await collect(persona.stream(ask('who is here?')))).join('')
    expect(text).toContain('no other peer is connected')
  })

  it('stops at once when aborted', async () => {
    const persona = offlinePersona(() => facts)
    const controller = new AbortController()
    const seen: string[] = []
    for await (const delta of persona.stream(ask('help'), { signal: controller.signal })) {
      seen.push(delta)
      controller.abort()
    }
    expect(seen).toHaveLength(1)
  })
})
