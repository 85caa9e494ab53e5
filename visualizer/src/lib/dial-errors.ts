/**
 * One line, in plain words, for why joining the agent failed at a given stage.
 * libp2p errors are precise but terse; the person needs to know what to do.
 */
import type { StageName, TransportName } from '../store/types.ts'

export function explainJoinError (err: unknown, stage: StageName, transport: TransportName, address: string): string {
  const name = (err as Error | undefined)?.name ?? 'Error'
  const message = (err as Error | undefined)?.message ?? String(err)
  const where = hostPort(address)

  if (name === 'UnexpectedPeerError' || /unexpected peer|does not match expected remote|peer id.*(mismatch|did not match)/i.test(message)) {
    const expected = address.split('/p2p/').at(-1)?.split('/')[0]
    // Noise names the key the remote proved; an Ed25519 key prints as its peer id.
    const actual = /identity key (\S+) does not match/.exec(message)?.[1]
    const named = expected != null ? `, not ${expected}` : ''
    return actual != null
      ? `The peer at this address (${where}) is ${actual}${named}: the agent was probably restarted with a new key. Copy its fresh address.`
      : `The peer at this address (${where}) is not ${expected ?? 'the peer named in /p2p/…'}: the agent was probably restarted with a new key. Copy its fresh address.`
  }
  if (name === 'DialDeniedError' || /denied|gater/i.test(message)) {
    return `The browser's connection gater refused ${where}; only loopback and LAN addresses you typed are allowed.`
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out|aborted/i.test(message)) {
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
  if (stage === 'noise') return `The Noise handshake failed (${shorten(message)}).`
  if (stage === 'yamux') return `The peers agree on no stream muxer (${shorten(message)}).`
  return `${name}: ${shorten(message)}`
}

function hostPort (address: string): string {
  const parts = address.split('/')
  const host = parts[2] ?? '?'
  const port = parts[4]
  return port != null ? `${host}:${port}` : host
}

function shorten (text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 140 ? `${line.slice(0, 137)}…` : line
}
