/**
 * Dial the agent and walk through the named stages: dialing → noise → yamux →
 * identify → gossipsub mesh. libp2p reports the first three as dial progress
 * events; identify and the chat subscription are observed on the node.
 */
import type { Connection, IdentifyResult } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { raceEvent } from 'race-event'
import { raceSignal } from 'race-signal'
import { CHAT_TOPIC } from '../../../mesh/protocol.ts'
import { transportOf } from '../../../mesh/transport.ts'
import { explainJoinError } from '../lib/dial-errors.ts'
import type { DialCandidate } from '../lib/dial-candidates.ts'
import { TRANSPORT_LABELS } from '../lib/transport-label.ts'
import type { StageName } from '../store/types.ts'
import type { BrowserNode } from './browser-node.ts'

export interface StageReporter {
  active: (name: StageName, detail?: string) => void
  done: (name: StageName, detail?: string) => void
}

export class JoinError extends Error {
  constructor (readonly stage: StageName, reason: string) {
    super(reason)
    this.name = 'JoinError'
  }
}

export interface JoinTimeouts {
  dialMs: number
  identifyMs: number
  subscribeMs: number
}

export const DEFAULT_TIMEOUTS: JoinTimeouts = { dialMs: 8000, identifyMs: 8000, subscribeMs: 8000 }

export async function joinAgent (node: BrowserNode, candidate: DialCandidate, agentPeerId: string, report: StageReporter, timeouts: JoinTimeouts = DEFAULT_TIMEOUTS): Promise<Connection> {
  const label = TRANSPORT_LABELS[candidate.transport]
  let current: StageName = 'dialing'
  const enter = (name: StageName, detail?: string): void => { current = name; report.active(name, detail) }

  // Listen before dialing: identify and subscriptions can arrive within milliseconds.
  const listening = new AbortController()
  const identified = raceEvent<CustomEvent<IdentifyResult>>(node, 'peer:identify', listening.signal, {
    filter: (event: CustomEvent<IdentifyResult>) => event.detail.peerId.toString() === agentPeerId
  })
  const hasChatSubscription = (): boolean => node.services.pubsub.getSubscribers(CHAT_TOPIC).some(p => p.toString() === agentPeerId)
  const subscribed = raceEvent(node.services.pubsub, 'subscription-change', listening.signal, { filter: hasChatSubscription })
  identified.catch(() => {})
  subscribed.catch(() => {})
  let reused = false
  try {
    enter('dialing', `${label} to ${candidate.address.split('/p2p/')[0]}`)
    const connection = await node.dial(multiaddr(candidate.address), {
      signal: AbortSignal.timeout(timeouts.dialMs),
      onProgress: (event) => {
        if (event.type === 'dial-queue:already-connected') reused = true
        if (event.type === 'upgrader:encrypt-outbound-connection') enter('noise', `Noise XX handshake over ${label}`)
        if (event.type === 'upgrader:multiplex-outbound-connection') enter('yamux', `yamux streams over ${label}`)
      }
    })
    // An existing connection (e.g. after "leave") may use another transport than this candidate: name what we got.
    const transport = transportOf(connection.remoteAddr)
    const used = TRANSPORT_LABELS[transport]
    if (reused) report.done('dialing', `reused the open ${used} connection to ${connection.remoteAddr.toString().split('/p2p/')[0]}`)
    if (transport === 'webrtc-direct') {
      // WebRTC-direct runs Noise inside the transport and multiplexes with data channels.
      report.done('noise', 'Noise inside WebRTC-direct (DTLS certhash checked)')
      report.done('yamux', 'WebRTC data channels, one per stream')
    } else {
      report.done('noise', connection.encryption != null ? `${connection.encryption} over ${used}` : undefined)
      report.done('yamux', connection.multiplexer)
    }

    enter('identify', '/ipfs/id/1.0.0')
    // A reused connection was usually identified before: the peer store knows the answer.
    // If it was opened a moment ago, identify is still on its way: wait for it as for a new one.
    const known = reused ? await knownAgentVersion(node, connection) : undefined
    const identifyPending = !reused || Date.now() - connection.timeline.open < timeouts.identifyMs
    const agentVersion = known ?? (identifyPending ? (await raceSignal(identified, AbortSignal.timeout(timeouts.identifyMs))).detail.agentVersion : undefined)
    report.done('identify', agentVersion)

    enter('gossipsub', `subscribed to "${CHAT_TOPIC}"`)
    // Already subscribed (a reused connection, or it arrived during the dial) needs no event.
    if (!hasChatSubscription()) await raceSignal(subscribed, AbortSignal.timeout(timeouts.subscribeMs))
    report.done('gossipsub')
    return connection
  } catch (err) {
    throw new JoinError(current, explainJoinError(err, current, candidate.transport, candidate.address))
  } finally {
    listening.abort()
  }
}

async function knownAgentVersion (node: BrowserNode, connection: Connection): Promise<string | undefined> {
  try {
    const peer = await node.peerStore.get(connection.remotePeer)
    const bytes = peer.metadata.get('AgentVersion')
    return bytes != null ? new TextDecoder().decode(bytes) : undefined
  } catch {
    return undefined
  }
}
