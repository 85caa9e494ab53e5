/**
 * A tiny multistream-select client on a raw TCP socket: it asks the remote
 * which secure channel it speaks, one proposal at a time, so the checker can
 * say "remote offered /plaintext/2.0.0" instead of "dial failed".
 *
 * Wire format: each message is a varint length, then UTF-8 text ending in "\n".
 * The listener echoes a protocol it accepts, or answers "na".
 */
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { varint } from 'multiformats'
import { raceEvent } from 'race-event'

const MULTISTREAM = '/multistream/1.0.0'

export async function openSocket (host: string, port: number, signal: AbortSignal): Promise<Socket> {
  const socket = connect({ host, port })
  try {
    await raceEvent(socket, 'connect', signal, { errorEvent: 'error' })
    return socket
  } catch (err) {
    socket.destroy()
    throw err
  }
}

export interface ProbeResult {
  /** The first candidate the remote accepted. */
  accepted?: string
  /** Candidates it answered "na" to. */
  refused: string[]
}

/** Propose each candidate in turn until one is accepted. Consumes the socket. */
export async function probeProtocols (socket: Socket, candidates: string[], signal: AbortSignal): Promise<ProbeResult> {
  const reader = new MessageReader(socket, signal)
  try {
    socket.write(encode(MULTISTREAM))
    const refused: string[] = []
    let headerSeen = false
    for (const candidate of candidates) {
      socket.write(encode(candidate))
      if (!headerSeen) {
        const header = await reader.next()
        if (header !== MULTISTREAM) throw new Error(`the remote does not speak multistream-select (it said "${header}")`)
        headerSeen = true
      }
      const answer = await reader.next()
      if (answer === candidate) return { accepted: candidate, refused }
      refused.push(candidate)
    }
    return { refused }
  } finally {
    socket.destroy()
  }
}

function encode (text: string): Buffer {
  const body = Buffer.from(`${text}\n`, 'utf8')
  return Buffer.concat([varint.encodeTo(body.length, Buffer.alloc(varint.encodingLength(body.length))), body])
}

/** Reads varint-length-prefixed, newline-terminated messages off a socket. */
class MessageReader {
  private buffer = Buffer.alloc(0)
  private waiting: (() => void) | undefined
  private ended: Error | undefined

  constructor (socket: Socket, signal: AbortSignal) {
    socket.on('data', (chunk: Buffer) => { this.buffer = Buffer.concat([this.buffer, chunk]); this.wake() })
    socket.on('close', () => { this.ended ??= new Error('the remote closed the connection'); this.wake() })
    socket.on('error', (err) => { this.ended ??= err; this.wake() })
    signal.addEventListener('abort', () => { this.ended ??= new Error('aborted'); this.wake() }, { once: true })
  }

  async next (): Promise<string> {
    for (;;) {
      const message = this.take()
      if (message != null) return message
      if (this.ended != null) throw this.ended
      await new Promise<void>((resolve) => { this.waiting = resolve })
    }
  }

  private take (): string | undefined {
    // The length's last byte is the first without the continuation bit; until it arrives, wait.
    if (!this.buffer.some(byte => (byte & 0x80) === 0)) return undefined
    const [length, offset] = varint.decode(this.buffer)
    if (this.buffer.length < offset + length) return undefined
    const text = this.buffer.subarray(offset, offset + length).toString('utf8').replace(/\n$/, '')
    this.buffer = this.buffer.subarray(offset + length)
    return text
  }

  private wake (): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }
}
