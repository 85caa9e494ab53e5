/**
 * Dial the agent and walk through the named stages: dialing → noise → yamux →
 * identify → gossipsub mesh. libp2p reports the first three as dial progress
 * events; identify and the chat subscription are observed on the node.
 */
import type { Connection, IdentifyResult } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { CHAT_TOPIC } from '../../../mesh/protocol.ts'
import { transportOf } from '../../../mesh/transport.ts'
import { explainJoinError } from '../lib/dial-errors.ts'
import type { DialCandidate } from '../lib/dial-candidates.ts'
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

const TRANSPORT_LABEL: Record<string, string> = {
  ws: 'WebSocket', wss: 'secure WebSocket', 'webrtc-direct': 'WebRTC-direct', webrtc: 'WebRTC', relay: 'circuit relay'
}

export async function joinAgent (node: BrowserNode, candidate: DialCandidate, agentPeerId: string, report: StageReporter, timeouts: JoinTimeouts = DEFAULT_TIMEOUTS): Promise<Connection> {
  const label = TRANSPORT_LABEL[candidate.transport] ?? candidate.transport
  let current: StageName = 'dialing'
  const enter = (name: StageName, detail?: string): void => { current = name; report.active(name, detail) }

  // Listen before dialing: identify and subscriptions can arrive within milliseconds.
  const identified = waitForIdentify(node, agentPeerId)
  const subscribed = waitForChatSubscription(node, agentPeerId)
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
    const used = TRANSPORT_LABEL[transport] ?? transport
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
    // An existing connection was identified long ago: the peer store already knows the answer.
    const agentVersion = reused
      ? await knownAgentVersion(node, connection)
      : (await withTimeout(identified.promise, timeouts.identifyMs, 'identify')).agentVersion
    report.done('identify', agentVersion)

    enter('gossipsub', `subscribed to "${CHAT_TOPIC}"`)
    await withTimeout(subscribed.promise, timeouts.subscribeMs, 'gossipsub')
    report.done('gossipsub')
    return connection
  } catch (err) {
    throw new JoinError(current, explainJoinError(err, current, candidate.transport, candidate.address))
  } finally {
    identified.cancel()
    subscribed.cancel()
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

interface Waiter<T> { promise: Promise<T>, cancel: () => void }

function waitForIdentify (node: BrowserNode, peerId: string): Waiter<IdentifyResult> {
  let cancel = (): void => {}
  const promise = new Promise<IdentifyResult>(resolve => {
    const listener = (event: CustomEvent<IdentifyResult>): void => {
      if (event.detail.peerId.toString() === peerId) resolve(event.detail)
    }
    node.addEventListener('peer:identify', listener)
    cancel = () => { node.removeEventListener('peer:identify', listener) }
  })
  promise.catch(() => {})
  return { promise, cancel }
}

function waitForChatSubscription (node: BrowserNode, peerId: string): Waiter<void> {
  const pubsub = node.services.pubsub
  let cancel = (): void => {}
  const promise = new Promise<void>(resolve => {
    const check = (): void => {
      if (pubsub.getSubscribers(CHAT_TOPIC).some(p => p.toString() === peerId)) resolve()
    }
    pubsub.addEventListener('subscription-change', check)
    const timer = setInterval(check, 250)
    cancel = () => { pubsub.removeEventListener('subscription-change', check); clearInterval(timer) }
    check()
  })
  return { promise, cancel }
}

async function withTimeout<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`${what} timed out after ${ms} ms`)
      err.name = 'TimeoutError'
      reject(err)
    }, ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
