/**
 * Lesson 2's guarantees, one function each, for lesson 2's own steps and for
 * the "lesson 2 still holds" step of every later lesson: only Noise is offered,
 * Noise + Yamux negotiate, ping echoes, identify names a terminal LLMesh node,
 * and the node's own echo protocol answers two streams at once.
 */
import { randomBytes } from 'node:crypto'
import type { Connection, Stream } from '@libp2p/interface'
import { equals } from 'uint8arrays/equals'
import { classifyDialError } from '../../mesh/dial-errors.ts'
import { llmeshAgentVersion, roleFromAgentVersion } from '../../mesh/protocol.ts'
import type { StepScope } from '../engine/check-run.ts'
import type { SecureDialer } from '../engine/checker-peers.ts'
import { openSocket, probeProtocols } from '../engine/multistream-probe.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { dialPrinted, explainDialError } from './dial.ts'

export const NOISE = '/noise'
export const YAMUX = '/yamux/1.0.0'
export const PING = '/ipfs/ping/1.0.0'
export const IDENTIFY = '/ipfs/id/1.0.0'
/** The protocol lesson 2 asks the learner to write. */
export const ECHO = '/llmesh/echo/1.0.0'
/** What lesson 2's node says it is in identify. */
export const TERMINAL_AGENT_VERSION = llmeshAgentVersion('terminal', 'node')
const PLAINTEXT = '/plaintext/2.0.0'
/** Secure channels the probe asks about, to name what the node speaks instead of Noise. */
const OTHER_CHANNELS = [PLAINTEXT, '/tls/1.0.0']
const PING_BYTES = 32

/** multistream-select on raw sockets: Noise accepted, plaintext refused even when it is the only offer. */
export async function expectOnlyNoise (port: number, signal: AbortSignal): Promise<string> {
  const socket = await openSocket('127.0.0.1', port, signal)
  const { accepted } = await probeProtocols(socket, [NOISE, ...OTHER_CHANNELS], signal).finally(() => socket.destroy())
  if (accepted == null) fail(`your node refused ${NOISE} and every other secure channel the checker knows: add noise() to connectionEncrypters.`)
  if (accepted !== NOISE) fail(`remote offered ${accepted}: replace it with noise() in connectionEncrypters.`, { expected: NOISE, seen: accepted })
  // Accepting Noise is not enough: a node that still offers plaintext can be talked
  // into it by a peer that proposes nothing else. Ask again on a fresh socket.
  const second = await openSocket('127.0.0.1', port, signal)
  const { accepted: downgrade } = await probeProtocols(second, [PLAINTEXT], signal).finally(() => second.destroy())
  if (downgrade === PLAINTEXT) fail(`your node still offers ${PLAINTEXT}: remove plaintext() from connectionEncrypters.`, { expected: `only ${NOISE}`, seen: `${NOISE} and ${PLAINTEXT}` })
  return `remote accepted ${NOISE}, refused ${PLAINTEXT}`
}

/**
 * A Noise + Yamux connection from the checker's secure dialer: the one it
 * already has to that address (each new connection counts against the node's
 * limit of 5 a second per host), or a new one.
 */
export async function connectSecurely (dialer: SecureDialer, address: PrintedAddress, signal: AbortSignal): Promise<Connection> {
  const open = dialer.getConnections().find(c => c.status === 'open' && c.remotePeer.toString() === address.peerId && c.remoteAddr.toString().startsWith(address.addr.decapsulateCode(0x01a5).toString()))
  // Noise was accepted (expectOnlyNoise), so a dial that fails now is almost always the muxer.
  const connection = open ?? await dialPrinted(dialer, address, signal, (err, printed) => {
    if (classifyDialError(err).kind === 'refused') return explainDialError(err, printed)
    return `your node accepted Noise but then dropped the connection instead of agreeing on a stream muxer: add streamMuxers: [yamux()] (the checker offered ${YAMUX}).`
  })
  if (connection.encryption !== NOISE) fail(`the connection is secured by ${connection.encryption ?? 'nothing'}, not Noise.`, { expected: NOISE, seen: connection.encryption ?? 'none' })
  if (connection.multiplexer !== YAMUX) fail(`the connection is multiplexed by ${connection.multiplexer ?? 'nothing'}: add yamux() to streamMuxers.`, { expected: YAMUX, seen: connection.multiplexer ?? 'none' })
  return connection
}

/** What the node says it speaks, asked when a protocol is refused, to name a near miss. */
async function offeredProtocols (dialer: SecureDialer, connection: Connection, signal: AbortSignal): Promise<string[]> {
  try {
    return (await dialer.services.identify.identify(connection, { signal })).protocols
  } catch {
    return []
  }
}

async function openStream (dialer: SecureDialer, connection: Connection, protocol: string, signal: AbortSignal, missing: (similar: string[]) => never, like: RegExp): Promise<Stream> {
  try {
    return await connection.newStream(protocol, { signal })
  } catch (err) {
    if (signal.aborted) throw err
    // Only a refusal says the node lacks the protocol; anything else (a reset, a slow machine) is said as it is.
    if ((err as Error).name !== 'UnsupportedProtocolError' && !/protocol selection failed|not supported/i.test((err as Error).message)) {
      fail(`opening a ${protocol} stream to your node failed: ${(err as Error).message}`, { seen: `${(err as Error).name}: ${(err as Error).message}` })
    }
    const similar = (await offeredProtocols(dialer, connection, signal)).filter(p => like.test(p) && p !== protocol)
    return missing(similar)
  }
}

/** Everything the remote sends until it closes its side, or `expected` bytes if given. */
async function readBytes (stream: Stream, signal: AbortSignal, progress: (received: number) => void, expected?: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let received = 0
  return await new Promise<Uint8Array>((resolve, reject) => {
    const finish = (): void => {
      stream.removeEventListener('message', onMessage)
      const all = new Uint8Array(received)
      let offset = 0
      for (const chunk of chunks) { all.set(chunk, offset); offset += chunk.byteLength }
      resolve(all)
    }
    const onMessage = (event: { data: { subarray: () => Uint8Array } }): void => {
      const chunk = event.data.subarray()
      chunks.push(chunk)
      received += chunk.byteLength
      progress(received)
      if (expected != null && received >= expected) finish()
    }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('remoteCloseWrite', finish, { once: true })
    stream.addEventListener('close', finish, { once: true })
    signal.addEventListener('abort', () => { reject(new Error('aborted')) }, { once: true })
  })
}

export async function expectPing (dialer: SecureDialer, connection: Connection, scope: StepScope, count: number): Promise<number[]> {
  const rtts: number[] = []
  for (let i = 0; i < count; i++) {
    const stream = await openStream(dialer, connection, PING, scope.signal, (similar) => {
      if (similar.length > 0) fail(`your node offers ${similar.join(', ')}, but ping is ${PING}: keep ping()'s default protocol id.`, { expected: PING, seen: similar.join(', ') })
      return fail(`your node does not answer ${PING}: add ping() to its services.`, { expected: PING, seen: 'protocol refused' })
    }, /ping/i)
    let received = 0
    scope.onTimeout(`your node accepts ${PING} streams but never sends the ${PING_BYTES} bytes back`, { seen: () => `${received} of ${PING_BYTES} bytes came back` })
    const payload = randomBytes(PING_BYTES)
    const started = performance.now()
    const echoed = readBytes(stream, scope.signal, (n) => { received = n }, PING_BYTES)
    stream.send(payload)
    const answer = await echoed
    if (answer.byteLength < PING_BYTES) fail(`your node's ${PING} handler closed the stream after ${answer.byteLength} of ${PING_BYTES} bytes: a ping answer sends back exactly what it got.`)
    if (!equals(answer.subarray(0, PING_BYTES), payload)) fail(`your node answered ping with other bytes than it was sent: a ping answer sends back exactly what it got.`)
    rtts.push(performance.now() - started)
    await stream.close({ signal: scope.signal }).catch(() => {})
  }
  return rtts
}

export async function expectTerminalIdentify (dialer: SecureDialer, connection: Connection, signal: AbortSignal): Promise<string> {
  let record
  try {
    record = await dialer.services.identify.identify(connection, { signal })
  } catch (err) {
    fail(`your node does not answer ${IDENTIFY}: add identify() to its services.`, { seen: (err as Error).message })
  }
  const agent = record.agentVersion ?? ''
  if (agent !== TERMINAL_AGENT_VERSION) {
    const role = roleFromAgentVersion(agent)
    const details = { expected: TERMINAL_AGENT_VERSION, seen: agent === '' ? 'no agent version' : agent }
    if (role != null && role !== 'terminal') {
      fail(`your node calls itself ${role === 'agent' ? 'an' : 'a'} "${role}" in identify: LLMesh peers believe it (the agent would treat yours as ${role === 'agent' ? 'another agent' : `a ${role}`}). A terminal node says llmeshAgentVersion('terminal', 'node').`, details)
    }
    if (/llmesh/i.test(agent)) fail('your node\'s agent version is close, but LLMesh peers read the role from its exact form: use llmeshAgentVersion(\'terminal\', \'node\') from mesh/protocol.ts.', details)
    fail('your node\'s agent version does not say it is an LLMesh node: set nodeInfo.userAgent with llmeshAgentVersion(\'terminal\', \'node\') from mesh/protocol.ts.', details)
  }
  for (const protocol of [IDENTIFY, PING]) {
    if (!record.protocols.includes(protocol)) fail(`your node's identify record does not list ${protocol}.`, { seen: record.protocols.join(', ') })
  }
  return `"${agent}", ${record.protocols.length} protocols`
}

/**
 * Two echo streams at once on one connection, their chunks interleaved: each
 * must come back whole, on its own stream. That is what a muxer is for.
 */
export async function expectEcho (dialer: SecureDialer, connection: Connection, scope: StepScope): Promise<string> {
  const missing = (similar: string[]): never => {
    if (similar.length > 0) fail(`your node offers ${similar.join(', ')}, but the lesson's protocol id is exactly ${ECHO}.`, { expected: ECHO, seen: similar.join(', ') })
    return fail(`your node does not handle ${ECHO}: register a handler for it with node.handle().`, { expected: ECHO, seen: 'protocol refused' })
  }
  const streams = [
    await openStream(dialer, connection, ECHO, scope.signal, missing, /echo/i),
    await openStream(dialer, connection, ECHO, scope.signal, missing, /echo/i)
  ]
  const sent = streams.map(() => [randomBytes(24), randomBytes(40)])
  const received = [0, 0]
  const total = (i: number): number => (sent[i] ?? []).reduce((sum, part) => sum + part.byteLength, 0)
  scope.onTimeout(`your node accepted ${ECHO} streams but did not echo them and close`, {
    expected: `each stream gets back its ${total(0)} / ${total(1)} bytes, then the end of the stream`,
    seen: () => `${received[0]} and ${received[1]} bytes came back${received.every((n, i) => n >= total(i)) ? ', but your node never closed its side of the streams (close the stream once the loop over it ends)' : ''}`
  })
  const echoed = streams.map(async (stream, i) => await readBytes(stream, scope.signal, (n) => { received[i] = n }))
  for (const part of [0, 1]) {
    for (const [i, stream] of streams.entries()) stream.send(sent[i]?.[part] ?? new Uint8Array())
  }
  await Promise.all(streams.map(async stream => { await stream.close({ signal: scope.signal }) }))
  const answers = await Promise.all(echoed)
  for (const [i, answer] of answers.entries()) {
    const expected = Buffer.concat(sent[i] ?? [])
    if (equals(answer, expected)) continue
    const other = Buffer.concat(sent[1 - i] ?? [])
    if (answer.byteLength === 0) fail(`your ${ECHO} handler ended the stream without sending anything back: send every chunk it receives back on the same stream.`)
    if (equals(answer, other)) fail(`stream ${i + 1} got back the bytes sent on the other stream: answer each stream on itself (the handler's own stream argument).`)
    if (answer.byteLength < expected.byteLength && equals(answer, expected.subarray(0, answer.byteLength))) {
      fail(`your ${ECHO} handler echoed only the first ${answer.byteLength} of ${expected.byteLength} bytes: keep sending back until the remote closes its side.`)
    }
    fail(`your ${ECHO} handler sent back other bytes than it received (${answer.byteLength} bytes for ${expected.byteLength}): send each chunk back unchanged.`)
  }
  return `2 streams at once, ${total(0) + total(1)} bytes echoed`
}
