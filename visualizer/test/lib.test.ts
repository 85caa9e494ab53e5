import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../src/lib/backoff.ts'
import { deliveryLabel } from '../src/lib/delivery-label.ts'
import { modelLabel } from '../src/lib/model-label.ts'
import { dialCandidates } from '../src/lib/dial-candidates.ts'
import { explainJoinError } from '../src/lib/dial-errors.ts'
import { identiconFor } from '../src/lib/identicon.ts'
import { lessonFor } from '../src/lib/lesson-links.ts'
import { listLessons } from '../server/lesson-index.ts'
import { kindFromAgentVersion, mergeKind } from '../src/lib/peer-kind.ts'
import { explainProtocol } from '../src/lib/protocol-explanations.ts'

const PEER = '12D3KooWDPMxafbcy7YzfUhXCjmDzNib2CEMqCSRE8gZUkN9LmLW'
const OTHER = '12D3KooWMkAXGtJKawjiJATWF3WgBBW7kWCGxxwmSPCECTBHXMRU'
const WS = `/ip4/127.0.0.1/tcp/9092/ws/p2p/${PEER}`
const WEBRTC = `/ip4/127.0.0.1/udp/9093/webrtc-direct/certhash/uEiDBVsnW18WpF8BMmyy3U5Jk0lSX_yvAjkosgIzraJOwNg/p2p/${PEER}`

describe('backoff', () => {
  it('starts quick, doubles, and is capped', () => {
    const noJitter = { initialMs: 500, maxMs: 10_000, factor: 2, jitter: 0 }
    expect([1, 2, 3, 4, 5, 6, 7].map(n => backoffDelay(n, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000])
    const spread = [0, 0.5, 1].map(r => backoffDelay(1, { ...noJitter, jitter: 0.2 }, () => r))
    expect(spread).toEqual([400, 500, 600])
  })
})

describe('dialCandidates', () => {
  it('prefers WebRTC-direct when the agent offers it, WebSocket next', () => {
    expect(dialCandidates(WS, [WEBRTC, WS]).map(c => c.transport)).toEqual(['webrtc-direct', 'ws'])
  })

  it('only considers addresses of the same peer that a browser can dial', () => {
    const tcp = `/ip4/127.0.0.1/tcp/9091/p2p/${PEER}`
    const other = `/ip4/127.0.0.1/tcp/9999/ws/p2p/${OTHER}`
    expect(dialCandidates(WS, [tcp, other, 'garbage', WS]).map(c => c.address)).toEqual([WS])
  })

  it('keeps the host the person gave ahead of another interface', () => {
    const lan = `/ip4/192.168.1.20/tcp/9092/ws/p2p/${PEER}`
    expect(dialCandidates(WS, [lan]).map(c => c.address)).toEqual([WS, lan])
  })

  it('is empty for an address that cannot work', () => {
    expect(dialCandidates('/ip4/127.0.0.1/tcp/9092/ws', [WS])).toEqual([])
  })
})

describe('explainJoinError', () => {
  it('says what to do, per stage', () => {
    const named = (name: string, message = '') => Object.assign(new Error(message), { name })
    expect(explainJoinError(named('ConnectionFailedError', 'Could not connect to ws://127.0.0.1:9092/'), 'dialing', 'ws', WS)).toMatch(/WebSocket to 127.0.0.1:9092.*running/)
    const expected = WS.split('/p2p/')[1]!
    expect(explainJoinError(named('UnexpectedPeerError'), 'noise', 'ws', WS)).toContain(`is not ${expected}`)
    // What Noise reports when another key answers: the peer that is there, named.
    const other = '12D3KooWGHV6ap5MNyUKPWvqkUjRivQDvuLvUk4sG1YA6Pte8qwr'
    expect(explainJoinError(named('EncryptionFailedError', `Payload identity key ${other} does not match expected remote identity key ${expected}`), 'noise', 'ws', WS))
      .toMatch(new RegExp(`^The peer at this address \\(127\\.0\\.0\\.1:9092\\) is ${other}, not ${expected}:`))
    expect(explainJoinError(named('TimeoutError'), 'gossipsub', 'ws', WS)).toMatch(/never subscribed to the chat topic/)
    expect(explainJoinError(named('TimeoutError'), 'dialing', 'webrtc-direct', WEBRTC)).toMatch(/certhash/)
  })
})

describe('peer kinds', () => {
  it('reads the LLMesh role from identify, and guesses for others', () => {
    expect(kindFromAgentVersion('llmesh/0.1.0 agent (node)')).toBe('agent')
    expect(kindFromAgentVersion('llmesh/0.1.0 terminal (node)')).toBe('terminal')
    expect(kindFromAgentVersion('universal-connectivity/0.1.0 Mozilla/5.0 Chrome')).toBe('browser')
    expect(kindFromAgentVersion('rust-libp2p/0.54')).toBe('peer')
    expect(kindFromAgentVersion(undefined)).toBeUndefined()
    expect(mergeKind('agent', 'browser')).toBe('agent')
    expect(mergeKind('terminal', 'peer')).toBe('terminal')
    expect(mergeKind('peer', 'browser')).toBe('browser')
  })
})

describe('small helpers', () => {
  it('labels delivery from what the publish and the agent\'s history said, and nothing else', () => {
    expect(deliveryLabel({ state: 'sent', recipients: 1, toAgent: true })).toBe('sent to the agent')
    expect(deliveryLabel({ state: 'sent', recipients: 3, toAgent: true })).toBe('reached 3 peers, the agent among them')
    expect(deliveryLabel({ state: 'sent', recipients: 1, toAgent: false })).toBe('reached 1 peer, not the agent')
    expect(deliveryLabel({ state: 'sent', recipients: 1, toAgent: true, agentHas: true })).toBe('sent to the agent · the agent has it')
    expect(deliveryLabel({ state: 'sent', recipients: 1, toAgent: true, agentHas: false })).toBe('sent to the agent · the agent did not get it')
    // Saved by an older version, before delivery named the agent.
    expect(deliveryLabel({ state: 'sent', recipients: 1 })).toBe('sent to 1 peer')
    expect(deliveryLabel({ state: 'failed', reason: 'no peer received it' })).toBe('not sent: no peer received it')
  })

  it('says "no model" for the offline persona, never a bare "offline"', () => {
    expect(modelLabel('offline persona', undefined)).toBe('no model — offline persona')
    expect(modelLabel('offline', 'alien-x-offline')).toBe('no model — offline persona')
    expect(modelLabel('ollama', 'llama3.2')).toBe('ollama · llama3.2')
    expect(modelLabel(undefined, undefined)).toBeUndefined()
  })

  it('draws the same identicon for the same peer, mirrored', () => {
    const icon = identiconFor(PEER)
    expect(identiconFor(PEER)).toEqual(icon)
    for (const [x, y] of icon.cells) expect(icon.cells).toContainEqual([4 - x, y])
  })

  it('explains protocols by their longest known prefix', () => {
    expect(explainProtocol('/ipfs/id/push/1.0.0')!.text).toMatch(/push/)
    expect(explainProtocol('/ipfs/id/1.0.0')!.topic).toBe('identify')
    expect(explainProtocol('/meshsub/1.2.0')!.topic).toBe('gossipsub')
    expect(explainProtocol('/my/own/1.0.0')).toBeUndefined()
  })

  it('finds the earliest lesson that lists a topic', () => {
    const lessons = [
      { id: '05-relay', number: 5, title: 'Relays', topics: ['relay' as const], url: 'lessons/05-relay/' },
      { id: '03-gossipsub-chat', number: 3, title: 'Chat', topics: ['gossipsub' as const], url: 'lessons/03-gossipsub-chat/' },
      { id: '07-gossipsub-scoring', number: 7, title: 'Scoring', topics: ['gossipsub' as const], url: 'lessons/07-gossipsub-scoring/' }
    ]
    expect(lessonFor('gossipsub', lessons)?.number).toBe(3)
    expect(lessonFor('relay', lessons)?.number).toBe(5)
    expect(lessonFor('dht', lessons)).toBeUndefined()
  })

  it('links every topic of every protocol the inspector explains to the lesson the catalogue names for it', () => {
    const lessons = listLessons()
    expect(lessonFor('identify', lessons)?.number).toBe(2)
    expect(lessonFor('ping', lessons)?.number).toBe(2)
    expect(lessonFor('security', lessons)?.number).toBe(2)
    expect(lessonFor('transports', lessons)?.number).toBe(1)
    expect(lessonFor('gossipsub', lessons)?.number).toBe(3)
  })
})
