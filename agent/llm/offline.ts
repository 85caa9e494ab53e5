/**
 * Alien X without a model: the last provider of every chain, so the mesh always
 * gets an answer. It is deterministic and honest — it knows who is connected, can
 * explain the workshop's concepts (knowledge.ts), and says plainly that no
 * language model is attached and how to attach one.
 */
import { shortPeerId } from '../../mesh/names.ts'
import { DEFAULT_OLLAMA_MODEL } from './defaults.ts'
import { CONCEPTS } from './knowledge.ts'
import type { Concept } from './knowledge.ts'
import type { PromptMessage, LlmProvider, StreamOptions } from './types.ts'

export const OFFLINE_MODEL = 'alien-x-offline'

export interface MeshPeerFact {
  peerId: string
  name?: string
  role?: string
  /** e.g. ['webrtc', 'ws'] — one per open connection. */
  transports: string[]
  rttMs?: number
}

/** What the agent knows about the mesh at the moment it answers. */
export interface MeshFacts {
  agentName: string
  selfPeerId: string
  /** Peers connected to the agent (not including itself). */
  peers: MeshPeerFact[]
  /** Peers subscribed to the chat topic, as the agent's gossipsub sees them. */
  chatSubscribers: number
  /** Why no model answered; the chain's skip reasons take precedence when present. */
  providersTried?: string[]
}

export function offlinePersona (getFacts: () => MeshFacts): LlmProvider {
  return {
    name: 'offline',
    model: OFFLINE_MODEL,
    async * stream (messages: PromptMessage[], options: StreamOptions = {}): AsyncGenerator<string> {
      const facts = safeFacts(getFacts)
      const tried = options.skipped != null && options.skipped.length > 0 ? [...options.skipped] : facts.providersTried
      // The long explanation once per conversation: an earlier answer in it means the peer has had it.
      const explained = messages.some(message => message.role === 'assistant')
      const text = offlineReply(lastUserText(messages), { ...facts, providersTried: tried }, { explained })
      // A few deltas, like a model would send, so consumers exercise their streaming path.
      for (const delta of wordGroups(text)) {
        if (options.signal?.aborted === true) return
        yield delta
      }
    }
  }
}

/**
 * The persona's whole reply to one question. Pure: same question and facts, same words.
 * `explained`: this peer already had the setup explanation, so a short line will do.
 */
export function offlineReply (question: string, facts: MeshFacts, { explained = false }: { explained?: boolean } = {}): string {
  const q = question.toLowerCase().replace(/[\u2018\u2019`]/g, '\'')
  const parts: string[] = []
  const aboutPeers = PEER_QUESTIONS.some(pattern => pattern.test(q))
  if (aboutPeers) parts.push(peerList(facts))
  parts.push(...matchingConcepts(q, aboutPeers).map(concept => concept.text))
  if (parts.length === 0) return explained ? briefNoModelReply(facts) : noModelReply(facts)
  // Every answer says plainly where it comes from, so nobody mistakes it for a model's.
  parts.push('(Offline persona: no language model is attached.)')
  return parts.join('\n\n')
}

/** Splits text into deltas of a few words; joined back they give exactly `text`. */
export function wordGroups (text: string, wordsPerDelta = 4): string[] {
  const words = text.split(/(?<=\s)(?=\S)/)
  const groups: string[] = []
  for (let i = 0; i < words.length; i += wordsPerDelta) groups.push(words.slice(i, i + wordsPerDelta).join(''))
  return groups
}

const PEER_QUESTIONS: readonly RegExp[] = [
  /\bwho('s| is| are)?\b.*\b(here|online|around|connected|there|mesh|chat|room)\b/,
  /\b(list|show|how many|which)\b.*\b(peers|nodes|people|users|connections)\b/,
  /\b(connected|online) (peers|nodes)\b/,
  /^\W*(peers|who)\W*$/
]

const MAX_LISTED_PEERS = 20
const MAX_CONCEPTS = 3

function matchingConcepts (q: string, aboutPeers: boolean): Concept[] {
  const matches = CONCEPTS.filter(concept =>
    concept.keywords.test(q) || (!aboutPeers && concept.weakKeywords?.test(q) === true))
  const specific = matches.filter(concept => concept.onlyAlone !== true)
  const chosen = specific.length > 0 || aboutPeers ? specific : matches
  return chosen.slice(0, MAX_CONCEPTS)
}

function peerList ({ agentName, selfPeerId, peers, chatSubscribers }: MeshFacts): string {
  const me = selfPeerId === '' ? agentName : `${agentName} (${shortPeerId(selfPeerId)})`
  const subscribers = `${chatSubscribers} ${chatSubscribers === 1 ? 'peer is' : 'peers are'} subscribed to the chat topic.`
  if (peers.length === 0) return `Only I, ${me}, float in this mesh right now: no other peer is connected to me. ${subscribers}`
  const lines = peers.slice(0, MAX_LISTED_PEERS).map(peer => `• ${describePeer(peer)}`)
  if (peers.length > MAX_LISTED_PEERS) lines.push(`• …and ${peers.length - MAX_LISTED_PEERS} more`)
  const count = `${peers.length} ${peers.length === 1 ? 'peer is' : 'peers are'} connected to me, ${me}:`
  return [count, ...lines, subscribers].join('\n')
}

function describePeer ({ peerId, name, role, transports, rttMs }: MeshPeerFact): string {
  const label = [name, role].filter(part => part != null && part !== '').join(', ')
  const via = transports.length > 0 ? [...new Set(transports)].join(' + ') : 'an unknown transport'
  const rtt = rttMs != null && Number.isFinite(rttMs) ? `, ${Math.round(rttMs)} ms` : ''
  return `${shortPeerId(peerId)}${label === '' ? '' : ` (${label})`} via ${via}${rtt}`
}

/**
 * Why no model answers is the operator's business (the reasons, with hosts, are in
 * the agent's log); the chat hears only that it is unavailable and how one is attached.
 */
function noModelReply ({ agentName, providersTried }: MeshFacts): string {
  const state = providersTried != null && providersTried.length > 0
    ? 'my model is unavailable right now (the agent\'s log says why), so no language model is attached to this answer'
    : 'no language model is attached to me right now'
  const topics = CONCEPTS.map(concept => concept.topic).join(', ')
  return `Greetings from the quiet between the stars. I am ${agentName}, and ${state}: I answer only from my star-notes. ` +
    `To wake my full mind, run \`ollama serve\` and \`ollama pull ${DEFAULT_OLLAMA_MODEL}\` (set OLLAMA_HOST if Ollama lives elsewhere), ` +
    'or set OPENAI_API_KEY and/or OPENAI_BASE_URL for an OpenAI-compatible server. ' +
    `Until then, ask me "who is here?" or about: ${topics}.`
}

function briefNoModelReply ({ providersTried }: MeshFacts): string {
  const state = providersTried != null && providersTried.length > 0 ? 'My model is still unavailable' : 'Still no language model is attached'
  return `${state}, so I can only answer "who is here?" or about ${CONCEPTS.slice(0, 4).map(concept => concept.topic).join(', ')} and the like.`
}

function sentence (text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/** Peer ids share their first characters (12D3KooW…); the tail tells them apart. */

function lastUserText (messages: PromptMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message?.role === 'user') return message.content
  }
  return ''
}

function safeFacts (getFacts: () => MeshFacts): MeshFacts {
  // The persona is the chain's last resort: a broken facts source must not silence it.
  try {
    return getFacts()
  } catch {
    return { agentName: 'Alien X', selfPeerId: '', peers: [], chatSubscribers: 0 }
  }
}
