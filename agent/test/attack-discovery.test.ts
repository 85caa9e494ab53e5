/**
 * Issue 13, item 10: unauthenticated discovery must not make the agent dial
 * wherever an attacker points it.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { PEER_DISCOVERY_TOPIC } from '../../mesh/protocol.ts'
import { throwawayKey } from './attacker.ts'
import { joinAgent, stopAll, testAgent, testPeer } from './harness.ts'

const closers: Array<() => Promise<void>> = []
afterAll(async () => {
  await stopAll()
  for (const close of closers) await close()
})

/** pubsub-peer-discovery's Peer message: field 1 the public key, field 2 (repeated) the addresses. */
function discoveryPeer (publicKey: Uint8Array, addrs: Uint8Array[]): Uint8Array {
  const field = (tag: number, bytes: Uint8Array): number[] => [tag, ...varint(bytes.byteLength), ...bytes]
  return Uint8Array.from([...field(0x0a, publicKey), ...addrs.flatMap(addr => field(0x12, addr))])
}
function varint (n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n >>>= 7 }
  out.push(n)
  return out
}

describe('discovery announcements', () => {
  it('300 peers announced at one address of the attacker\'s choosing cost a few dials, not hundreds', async () => {
    // The address the attacker wants dialed: it counts connections and hangs up on each.
    let dialed = 0
    const trap = createServer(socket => { dialed++; socket.destroy() })
    await new Promise<void>(resolve => trap.listen(0, '127.0.0.1', resolve))
    closers.push(async () => { await new Promise(resolve => trap.close(resolve)) })
    const trapAddr = multiaddr(`/ip4/127.0.0.1/tcp/${(trap.address() as AddressInfo).port}`)

    const agent = await testAgent()
    const attacker = await testPeer()
    const watcher = await testPeer()
    for (const peer of [attacker, watcher]) peer.node.services.pubsub.subscribe(PEER_DISCOVERY_TOPIC)
    await joinAgent(attacker, agent.addresses.tcp[0]!)
    await joinAgent(watcher, agent.addresses.tcp[0]!)
    await expect.poll(() => attacker.node.services.pubsub.getSubscribers(PEER_DISCOVERY_TOPIC).some(p => p.equals(agent.node.peerId)), { timeout: 10_000, interval: 25, message: 'the agent on the discovery topic' }).toBe(true)

    // Count what reaches the agent's own validator for the topic: proof every announcement arrived.
    const validators = agent.node.services.pubsub.topicValidators
    const validate = validators.get(PEER_DISCOVERY_TOPIC)!
    let delivered = 0
    validators.set(PEER_DISCOVERY_TOPIC, (peer: unknown, msg: unknown) => { delivered++; return validate(peer as never, msg as never) })
    for (let i = 0; i < 300; i++) {
      const key = await throwawayKey()
      // (From another neighbour: the attacker has used up what one neighbour may pass on.)
    await watcher.node.services.pubsub.publish(PEER_DISCOVERY_TOPIC, discoveryPeer(publicKeyToProtobuf(key.publicKey), [trapAddr.bytes]))
    }
    await expect.poll(() => delivered >= 300, { timeout: 15_000, interval: 25, message: 'every announcement at the agent' }).toBe(true)
    // Then a real peer is announced: the agent still dials what discovery finds, and by the
    // time it has, the dials it made for the 300 before it are made too.
    const real = await testPeer()
    // (From another neighbour: the attacker has used up what one neighbour may pass on.)
    await watcher.node.services.pubsub.publish(PEER_DISCOVERY_TOPIC, discoveryPeer(publicKeyToProtobuf(real.node.peerId.publicKey!), real.node.getMultiaddrs().map(a => a.bytes)))
    await expect.poll(() => agent.node.getConnections(real.node.peerId).length > 0, { timeout: 20_000, interval: 25, message: 'the agent to dial the real peer' }).toBe(true)
    expect(dialed).toBeLessThanOrEqual(5)
  }, 30_000)
})
