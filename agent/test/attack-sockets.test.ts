/**
 * Issue 13, item 8: sockets that connect and say nothing. They must be closed
 * after a short while, capped while they wait, and never hold up a stop; the
 * loopback address gets libp2p's pending-connection cap like any other.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { MAX_PENDING_INBOUND } from '../../mesh/node-options.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

afterAll(stopAll)

interface Silent { sockets: Socket[], closed: () => number }

/** Open `count` TCP connections to host:port that never send a byte. */
async function silentSockets (address: string, count: number): Promise<Silent> {
  const match = /^\/ip4\/([^/]+)\/tcp\/(\d+)/.exec(address)
  if (match == null) throw new Error(`not an /ip4/…/tcp/… address: ${address}`)
  const host = match[1]!
  const port = Number(match[2])
  let closed = 0
  const sockets = await Promise.all(Array.from({ length: count }, async () => await new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port }, () => { resolve(socket) })
    socket.on('error', () => {})
    socket.once('close', () => { closed++ })
    socket.once('error', reject)
  })))
  return { sockets, closed: () => closed }
}

describe('silent sockets', () => {
  it('on the WebSocket port: over the cap closed at once, the rest after the handshake timeout, and the agent serves WebSockets again', async () => {
    const agent = await testAgent()
    const count = MAX_PENDING_INBOUND + 40
    const silent = await silentSockets(agent.addresses.ws[0]!, count)
    // The cap closes the overflow while the others are still waiting.
    await expect.poll(() => silent.closed() >= count - MAX_PENDING_INBOUND, { timeout: 10_000, interval: 25, message: 'the overflow to be closed' }).toBe(true)
    expect(silent.closed()).toBeLessThan(count)
    // Then every silent socket is closed, without anyone sending a byte.
    await expect.poll(() => silent.closed() === count, { timeout: 20_000, interval: 25, message: 'every silent socket to be closed' }).toBe(true)
    const peer = await testPeer()
    await joinAgent(peer, agent.addresses.ws[0]!)
  }, 30_000)

  it('never hold up the agent\'s stop', async () => {
    const agent = await testAgent()
    const silent = await silentSockets(agent.addresses.ws[0]!, 20)
    await agent.stop()
    await expect.poll(() => silent.closed() === 20, { timeout: 5000, interval: 25, message: 'the silent sockets to be closed by the stop' }).toBe(true)
  }, 15_000)

  it('on the TCP port from loopback: the pending-connection cap holds', async () => {
    const agent = await testAgent()
    const count = MAX_PENDING_INBOUND + 40
    const silent = await silentSockets(agent.addresses.tcp[0]!, count)
    await expect.poll(() => silent.closed() >= count - MAX_PENDING_INBOUND, { timeout: 8000, interval: 25, message: 'the overflow to be closed' }).toBe(true)
    // Refused at once, not timed out together with the rest.
    expect(silent.closed()).toBeLessThan(count)
    const peer = await testPeer()
    // Once the silent ones are gone, the agent takes connections again.
    for (const socket of silent.sockets) socket.destroy()
    await expect.poll(async () => await joinAgent(peer, agent.addresses.tcp[0]!).then(() => true, () => false), { timeout: 15_000, interval: 25, message: 'a connection after the silent sockets left' }).toBe(true)
  }, 30_000)
})
