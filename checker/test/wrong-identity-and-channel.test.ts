/**
 * Wrong programs for lessons 1 and 2, one per class of mistake that used to
 * pass: each must fail at the step that judges it, with a message naming the
 * mistake (checker/test/fixtures/, built on fixtures/lesson-node.ts).
 */
import { describe, it } from 'vitest'
import { expectFailure } from './wrong-programs.ts'
import type { WrongProgram } from './wrong-programs.ts'

const wrong: WrongProgram[] = [
  // Persistence only half done: the checker used to write the key file first, always.
  { fixture: 'key-load-only', lesson: '1', step: 'saved-key', message: /^started with no key file, your node generated a key but never saved it/ },
  { fixture: 'key-world-readable', lesson: '1', step: 'saved-key', message: /^your node saved its private key readable by others \(mode 0644\): write it with \{ mode: 0o600 \}/ },
  // Regressions of lesson 1, seen from lesson 2.
  { fixture: 'forgets-key-file', lesson: '2', step: 'lesson-1', message: /^lesson 1 no longer holds: your node has a new identity/ },
  { fixture: 'no-websockets', lesson: '2', step: 'lesson-1', message: /^lesson 1 no longer holds: your node printed no WebSocket address/ },
  // Exact identify: an LLMesh node that calls itself an agent is not a terminal.
  { fixture: 'calls-itself-agent', lesson: '2', step: 'identify', message: /^your node calls itself an "agent" in identify/ },
  // Ping: a wrong protocol id and a handler that never echoes get their own messages.
  { fixture: 'ping-wrong-protocol', lesson: '2', step: 'ping', message: /^your node offers \/llmesh\/ping\/1\.0\.0, but ping is \/ipfs\/ping\/1\.0\.0/ },
  { fixture: 'ping-silent', lesson: '2', step: 'ping', message: /^your node accepts \/ipfs\/ping\/1\.0\.0 streams but never sends the 32 bytes back/ },
  // The lesson's own protocol.
  { fixture: 'echo-first-chunk', lesson: '2', step: 'echo', message: /^your \/llmesh\/echo\/1\.0\.0 handler echoed only the first 24 of 64 bytes/ }
]

describe('wrong programs for lessons 1 and 2', () => {
  it.each(wrong.map(w => [w.fixture, w] as const))('%s fails where it should, saying why', async (_name, program) => {
    await expectFailure(program)
  })
})
