/**
 * mesh/compat.ts on Node 20: libp2p's WebSocket dialer stops listening to a
 * socket when its dial is aborted, and `ws` throws an 'error' nobody listens
 * to. A refused WebSocket dial that was aborted first must not end the process.
 */
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'

/** A loopback port nobody listens on. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise(resolve => server.close(resolve))
  return typeof address === 'object' && address != null ? address.port : 0
}

describe('the Node 20 WebSocket', () => {
  it('an aborted WebSocket dial whose connection is then refused leaves the process running', async () => {
    const uncaught: unknown[] = []
    const record = (err: unknown): void => { uncaught.push(err) }
    process.prependListener('uncaughtException', record)
    const node = await createLibp2p({ transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    try {
      const port = await closedPort()
      const controller = new AbortController()
      const dial = node.dial(multiaddr(`/ip4/127.0.0.1/tcp/${port}/ws/p2p/12D3KooWHe8JVTNquHrFF8v3Q1b1RkjyaRL3rhUGGBfjJaaLAHf2`), { signal: controller.signal })
      setTimeout(() => { controller.abort() }, 0)
      await expect(dial).rejects.toThrow()
      // The refusal arrives after the abort; give it time to surface.
      await new Promise(resolve => setTimeout(resolve, 200))
      expect(uncaught).toEqual([])
    } finally {
      process.removeListener('uncaughtException', record)
      await node.stop()
    }
  })
})
