/**
 * `@libp2p/websockets` with a deadline for the handshake. Upstream (10.1.x)
 * waits for a socket's first byte forever, and a socket only meets libp2p's
 * connection limits once its WebSocket upgrade is done: 2,000 sockets that never
 * send a byte were held for minutes and kept the process from stopping. This
 * wrapper closes a socket that has not sent its WebSocket upgrade request in time,
 * caps how many may wait at once, and closes the waiting ones when the listener
 * closes.
 *
 * It reaches into the listener's `server` (net.Server) and `wsServer.handleUpgrade` (ws), which
 * are not public API; if they disappear it throws at listen time with this file
 * named, and agent/test/attack-sockets.test.ts fails.
 */
import { Server } from 'node:net'
import type { Socket } from 'node:net'
import type { IncomingMessage } from 'node:http'
import { webSockets } from '@libp2p/websockets'

/** Long enough for a slow phone on a bad network to finish the HTTP upgrade. */
export const WS_HANDSHAKE_TIMEOUT_MS = 5000

export interface GuardOptions {
  handshakeTimeoutMs?: number
  maxPending: number
}

type HandleUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer, done: (...args: unknown[]) => void) => void

interface ListenerInternals {
  server?: unknown
  wsServer?: { handleUpgrade?: HandleUpgrade }
  close: () => Promise<void>
}

export function guardedWebSockets (guard: GuardOptions, init?: Parameters<typeof webSockets>[0]): ReturnType<typeof webSockets> {
  const factory = webSockets(init)
  return (components) => {
    const transport = factory(components)
    const createListener = transport.createListener.bind(transport)
    transport.createListener = (options) => {
      const listener = createListener(options)
      guardListener(listener as unknown as ListenerInternals, guard)
      return listener
    }
    return transport
  }
}

function guardListener (listener: ListenerInternals, { handshakeTimeoutMs = WS_HANDSHAKE_TIMEOUT_MS, maxPending }: GuardOptions): void {
  const { server, wsServer } = listener
  if (!(server instanceof Server) || typeof wsServer?.handleUpgrade !== 'function') {
    throw new Error('@libp2p/websockets changed: its listener has no `server`/`wsServer` any more, so silent sockets cannot be timed out (see mesh/websocket-guard.ts)')
  }
  const waiting = new Map<Socket, ReturnType<typeof setTimeout>>()
  const release = (socket: Socket): void => {
    clearTimeout(waiting.get(socket))
    waiting.delete(socket)
  }
  // Runs before the listener's own handler. Destroying with an error also ends the
  // listener's wait for the first byte (it waits for 'readable' or 'error').
  server.prependListener('connection', (socket: Socket) => {
    socket.on('error', () => {})
    if (waiting.size >= maxPending) {
      socket.destroy(new Error('too many WebSocket handshakes in progress'))
      return
    }
    const timer = setTimeout(() => { socket.destroy(new Error('WebSocket handshake timed out')) }, handshakeTimeoutMs)
    timer.unref()
    waiting.set(socket, timer)
    socket.once('close', () => { release(socket) })
  })
  // The listener hands every upgrade request to `handleUpgrade` (it never emits the
  // ws server's 'connection' event): a socket that got this far has sent a whole
  // HTTP upgrade request, so from here on libp2p's own limits and timeouts govern it.
  const handleUpgrade = wsServer.handleUpgrade.bind(wsServer)
  wsServer.handleUpgrade = (req, socket, head, done) => {
    release(socket)
    handleUpgrade(req, socket, head, done)
  }
  const close = listener.close.bind(listener)
  listener.close = async () => {
    for (const socket of [...waiting.keys()]) socket.destroy()
    await close()
  }
}
