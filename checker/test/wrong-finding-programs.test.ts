/**
 * Lesson 4's wrong programs, one per class of mistake: lesson 3 undone, discovery that never
 * dials, the wrong discovery topic, the public DHT's protocol, no DHT at all,
 * a lookup whose answer is never dialed, a DHT that only asks (client mode).
 * And the other way round: lesson 3's check accepts lesson 4's node.
 */
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { solutionDir } from '../paths.ts'
import { expectFailure, expectPass } from './wrong-programs.ts'
import type { WrongProgram } from './wrong-programs.ts'

const wrong: WrongProgram[] = [
  { fixture: 'finding-no-chat', lesson: '4', step: 'lesson-3', message: /^lesson 3 no longer holds: your node did not join the chat of the peer in LLMESH_PEERS and answer its \/nonce \(waited/ },
  { fixture: 'discovery-no-dial', lesson: '4', step: 'discover', message: /^your node was told about 12D3KooW…\w+ on "universal-connectivity-browser-peer-discovery" but never dialed it/ },
  { fixture: 'discovery-default-topic', lesson: '4', step: 'discover', message: /^your node listens for peer announcements on "_peer-discovery\._p2p\._pubsub": the universal-connectivity peers announce on "universal-connectivity-browser-peer-discovery"/ },
  { fixture: 'dht-public-protocol', lesson: '4', step: 'find-peer', message: /^your node's DHT speaks \/ipfs\/kad\/1\.0\.0, the public IPFS DHT: LLMesh peers run the LAN DHT, "\/ipfs\/lan\/kad\/1\.0\.0"/ },
  { fixture: 'no-dht', lesson: '4', step: 'find-peer', message: /^your node never asked the DHT about the peer in "\/find 12D3KooW\w+…" typed on its stdin/ },
  { fixture: 'find-no-dial', lesson: '4', step: 'find-peer', message: /^your node found 12D3KooW…\w+ a second time but did not dial it: 'peer:discovery' fires only for a peer new to your node, so dial the peer that findPeer\(\) returns\.$/ },
  { fixture: 'dht-client-mode', lesson: '4', step: 'serve-dht', message: /^your node does not answer DHT queries: its identify record lists no \/ipfs\/lan\/kad\/1\.0\.0\. A DHT in client mode only asks; set clientMode: false in kadDHT\(\)\.$/ }
]

describe('wrong programs for lesson 4', () => {
  it.each(wrong.map(w => [w.fixture, w] as const))('%s fails where it should, saying why', async (_name, program) => {
    await expectFailure(program)
  })
})

describe('a learner who is ahead passes', () => {
  it('lesson 3 with a node that finds peers (lesson 4\'s solution)', async () => {
    await expectPass('3', join(solutionDir('04-finding-peers'), 'node.ts'))
  })
})
