/**
 * The WebSocket guard closes sockets that never start their handshake, and
 * nothing else: a peer that completed its upgrade stays connected however long
 * it lives. Real libp2p nodes over /ws on 127.0.0.1, with a short deadline.
 */
import { identify } from '@libp2p/identify'
import type { Libp2p } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import type { Ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { afterAll, describe, expect, it } from 'vitest'
import { guardedWebSockets } from '../websocket-guard.ts'

const HANDSHAKE_DEADLINE_MS = 300
const nodes: Libp2p[] = []
afterAll(async () => { await Promise.all(nodes.map(async node => { await node.stop() })) })

async function node (listen: boolean): Promise<Libp2p<{ ping: Ping }>> {
  const created = await createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0/ws'] : [] },
    transports: [listen ? guardedWebSockets({ maxPending: 8, handshakeTimeoutMs: HANDSHAKE_DEADLINE_MS }) : webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })
  nodes.push(created)
  return created
}

describe('the WebSocket handshake deadline', () => {
  it('leaves an upgraded connection alone long after the deadline', async () => {
    const server = await node(true)
    const client = await node(false)
    const connection = await client.dial(server.getMultiaddrs()[0]!)
    // Several deadlines pass; a socket the guard still counted as waiting would be destroyed by now.
    await new Promise(resolve => setTimeout(resolve, HANDSHAKE_DEADLINE_MS * 4))
    expect(connection.status).toBe('open')
    expect(await client.services.ping.ping(server.peerId)).toBeGreaterThanOrEqual(0)
    expect(server.getConnections(client.peerId)).toHaveLength(1)
  })
})
