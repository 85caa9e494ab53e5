/**
 * One line, in plain words, for why joining the agent failed at a given stage:
 * the person needs to know what to do. What the error means is read by
 * `mesh/dial-errors.ts`, shared with the checker; the words are the chat app's.
 */
import { classifyDialError, describeError, firstLine } from '../../../mesh/dial-errors.ts'
import type { StageName, TransportName } from '../store/types.ts'

export function explainJoinError (err: unknown, stage: StageName, transport: TransportName, address: string): string {
  const failure = classifyDialError(err)
  const where = hostPort(address)

  if (failure.kind === 'wrong-peer') {
    const expected = address.split('/p2p/').at(-1)?.split('/')[0]
    const named = expected != null ? `, not ${expected}` : ''
    return failure.actual != null
      ? `The peer at this address (${where}) is ${failure.actual}${named}: the agent was probably restarted with a new key. Copy its fresh address.`
      : `The peer at this address (${where}) is not ${expected ?? 'the peer named in /p2p/…'}: the agent was probably restarted with a new key. Copy its fresh address.`
  }
  if (failure.kind === 'denied') {
    return `The browser's connection gater refused ${where}; only loopback and LAN addresses you typed are allowed.`
  }
  if (failure.kind === 'timeout') {
    if (stage === 'identify') return 'Connected, but the agent did not answer identify in time.'
    if (stage === 'gossipsub') return 'Connected, but the agent never subscribed to the chat topic: is it an LLMesh or universal-connectivity peer?'
    if (transport === 'webrtc-direct') return `No WebRTC-direct answer from ${where} in time: is the agent running, and is the /certhash from its current run?`
    return `No answer from ${where} in time: is the agent running, and is the port right?`
  }
  if (stage === 'dialing' && (transport === 'ws' || transport === 'wss')) {
    return `Could not open a WebSocket to ${where}: is the agent running there?`
  }
  if (stage === 'dialing' && transport === 'webrtc-direct') {
    return `WebRTC-direct to ${where} failed: is the agent running, and is the /certhash from its current run?`
  }
  const message = firstLine((err as Error | undefined)?.message ?? String(err))
  if (stage === 'noise') return `The Noise handshake failed (${message}).`
  if (stage === 'yamux') return `The peers agree on no stream muxer (${message}).`
  return describeError(err, 140)
}

function hostPort (address: string): string {
  const parts = address.split('/')
  const host = parts[2] ?? '?'
  const port = parts[4]
  return port != null ? `${host}:${port}` : host
}
