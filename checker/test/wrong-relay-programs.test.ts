/**
 * Lesson 5's wrong programs, one per class of mistake: no relay transport, the
 * relay never dialed, no '/p2p-circuit' listen address (so no reservation), the
 * relayed address never printed, gossipsub refusing limited connections,
 * LLMESH_RELAY_SERVER ignored, lesson 4 undone. And the other way round: a
 * node that reserves on the relay through its listen address instead passes,
 * and lesson 4's check accepts lesson 5's node.
 */
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { solutionDir } from '../paths.ts'
import { fixture } from './helpers.ts'
import { expectFailure, expectPass } from './wrong-programs.ts'
import type { WrongProgram } from './wrong-programs.ts'

const wrong: WrongProgram[] = [
  { fixture: 'relay-lost-dht-server', lesson: '5', step: 'lesson-4', message: /^lesson 4 no longer holds: your node does not answer DHT queries: its identify record lists no \/ipfs\/lan\/kad\/1\.0\.0\./ },
  { fixture: 'relay-not-dialed', lesson: '5', step: 'reserve', message: /^your node never connected to the relay in LLMESH_RELAY \(\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW…\w+\): dial that address at start/ },
  { fixture: 'relay-no-transport', lesson: '5', step: 'reserve', message: /^your node reached the relay but cannot take relayed connections: its identify record lists no \/libp2p\/circuit\/relay\/0\.2\.0\/stop\. Add circuitRelayTransport\(\)/ },
  { fixture: 'relay-no-circuit-listen', lesson: '5', step: 'reserve', message: /^your node reached the relay but never asked it for a reservation: listen on '\/p2p-circuit' too/ },
  { fixture: 'relay-not-printed', lesson: '5', step: 'reserve', message: /^the relay holds a reservation for your node, but your node never printed its \/p2p-circuit address: it appears after the start, so print node\.getMultiaddrs\(\) again when they change \(the 'self:peer:update' event\)\.$/ },
  { fixture: 'relay-gossip-not-limited', lesson: '5', step: 'relayed-chat', message: /^your node speaks \/meshsub\/1\.\d\.0, but not over the relayed connection: gossipsub refuses limited connections unless told otherwise\. Set runOnLimitedConnection: true in gossipsub's options\.$/ },
  { fixture: 'relay-no-server', lesson: '5', step: 'relay-server', message: /^your node serves no relay: LLMESH_RELAY_SERVER=1 was set, but its identify record lists no \/libp2p\/circuit\/relay\/0\.2\.0\/hop\. When that variable is 1, add circuitRelayServer\(\) to its services\.$/ }
]

describe('wrong programs for lesson 5', () => {
  it.each(wrong.map(w => [w.fixture, w] as const))('%s fails where it should, saying why', async (_name, program) => {
    await expectFailure(program)
  })
})

describe('any correct configuration passes', () => {
  it('lesson 5 with a node that reserves through its listen address (<LLMESH_RELAY>/p2p-circuit)', async () => {
    await expectPass('5', fixture('relay-configured.ts'))
  })

  it('lesson 4 with a node that uses relays (lesson 5\'s solution)', async () => {
    await expectPass('4', join(solutionDir('05-circuit-relay'), 'node.ts'))
  })
})
