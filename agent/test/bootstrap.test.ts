/**
 * --bootstrap keeps the agent joined to a peer across its absence and restarts,
 * with real nodes on 127.0.0.1: libp2p's keep-alive reconnects, plus our retry
 * for the cases libp2p leaves alone (a first dial that fails).
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freePorts } from '../../mesh/free-ports.ts'
import { BootstrapDialer } from '../bootstrap.ts'

const running: Array<{ stop: () => unknown }> = []
afterEach(async () => { for (const each of running.splice(0).reverse()) await each.stop() })

async function plainNode (privateKey?: PrivateKey, port = 0): Promise<Libp2p> {
  const node = await createLibp2p({
    ...(privateKey != null ? { privateKey } : {}),
    addresses: { listen: [`/ip4/127.0.0.1/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  running.push(node)
  return node
}

/** A free loopback port: listen on 0, read the port, stop. */
const connected = (agent: Libp2p, peer: Libp2p): boolean => agent.getConnections(peer.peerId).some(c => c.status === 'open')

describe('bootstrap peers', () => {
  it('joins a bootstrap peer that comes up after the agent started', async () => {
    const key = await generateKeyPair('Ed25519')
    const [port = 0] = await freePorts(1)
    const address = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key).toString()}`
    const agent = await plainNode()
    const lines: string[] = []
    const dialer = new BootstrapDialer(agent, [address], { retryMs: 200, log: line => lines.push(line) })
    running.push(dialer)
    dialer.start()
    await vi.waitFor(() => { expect(lines.join('\n')).toMatch(/cannot reach bootstrap peer/) })

    const peer = await plainNode(key, port)
    await vi.waitFor(() => { expect(connected(agent, peer)).toBe(true) }, { timeout: 10_000 })
    expect(lines.filter(line => line.startsWith('cannot reach'))).toHaveLength(1)
  })

  it('is rejoined by libp2p when the bootstrap peer restarts', async () => {
    const key = await generateKeyPair('Ed25519')
    const [port = 0] = await freePorts(1)
    const first = await plainNode(key, port)
    const agent = await plainNode()
    // No retry of our own within the test: the reconnect must be libp2p's keep-alive.
    const dialer = new BootstrapDialer(agent, [first.getMultiaddrs()[0]!.toString()], { retryMs: 3_600_000, log: () => {} })
    running.push(dialer)
    dialer.start()
    await vi.waitFor(() => { expect(connected(agent, first)).toBe(true) }, { timeout: 10_000 })

    await first.stop()
    await vi.waitFor(() => { expect(agent.getConnections(first.peerId)).toHaveLength(0) })
    const again = await plainNode(key, port)
    await vi.waitFor(() => { expect(connected(agent, again)).toBe(true) }, { timeout: 15_000 })
  })
})
