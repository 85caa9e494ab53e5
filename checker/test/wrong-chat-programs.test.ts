/**
 * Wrong programs for lesson 3, one per class of mistake that used to pass:
 * regressions of lessons 1 and 2, near misses of the exact forms the lesson
 * asks for, and the failure path it asks the learner to handle.
 */
import { describe, it } from 'vitest'
import { expectFailure } from './wrong-programs.ts'
import type { WrongProgram } from './wrong-programs.ts'

const wrong: WrongProgram[] = [
  { fixture: 'chat-random-key', lesson: '3', step: 'lesson-1', message: /^lesson 1 no longer holds: your node has a new identity/ },
  { fixture: 'chat-offers-plaintext', lesson: '3', step: 'lesson-2', message: /^lesson 2 no longer holds: your node still offers \/plaintext\/2\.0\.0/ },
  { fixture: 'chat-no-ping', lesson: '3', step: 'lesson-2', message: /^lesson 2 no longer holds: your node does not answer \/ipfs\/ping\/1\.0\.0/ },
  { fixture: 'topic-typo', lesson: '3', step: 'subscribe', message: /^your node subscribed to "universal_connectivity": the chat topic is exactly "universal-connectivity"/ },
  { fixture: 'nonce-colon', lesson: '3', step: 'nonce', message: /^received "nonce [0-9a-f]+: 12D3KooW\w+": drop the colon\.$/ },
  { fixture: 'nonce-suffix', lesson: '3', step: 'nonce', message: /^received "nonce [0-9a-f]+-ok 12D3KooW\w+ \(extra\)": publish exactly "nonce [0-9a-f]+ 12D3KooW\w+"\.$/ },
  { fixture: 'nonce-json', lesson: '3', step: 'nonce', message: /^received "\{\\"text\\":\\"nonce [0-9a-f]+ 12D3KooW\w+\\"\}": it is wrapped in JSON: publish the plain text\.$/ },
  { fixture: 'typed-line-newline', lesson: '3', step: 'publish', message: /^received "typed on stdin [0-9a-f]+\\n": drop the trailing newline\.$/ },
  { fixture: 'uncaught-publish', lesson: '3', step: 'early-line', message: /^a line typed while no peer was subscribed crashed your node: publish\(\) threw PublishError\.NoPeersSubscribedToTopic/ }
]

describe('wrong programs for lesson 3', () => {
  it.each(wrong.map(w => [w.fixture, w] as const))('%s fails where it should, saying why', async (_name, program) => {
    await expectFailure(program)
  })
})
