/**
 * Correct programs must pass, including those of a learner who is ahead: a
 * lesson's check accepts the configurations of later lessons.
 */
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { solutionDir } from '../paths.ts'
import { fixture } from './helpers.ts'
import { expectPass } from './wrong-programs.ts'

describe('a learner who is ahead passes', () => {
  it('lesson 1 with Noise + Yamux already (lesson 2\'s solution)', async () => {
    await expectPass('1', join(solutionDir('02-secure-channel-and-muxing'), 'node.ts'))
  })

  it('lesson 1 with plaintext + Yamux', async () => {
    await expectPass('1', fixture('ahead-plaintext-yamux.ts'))
  })

  it('lesson 1 with a whole chat node (lesson 3\'s solution)', async () => {
    await expectPass('1', join(solutionDir('03-gossipsub-chat'), 'node.ts'))
  })

  it('lesson 2 with a whole chat node (lesson 3\'s solution)', async () => {
    await expectPass('2', join(solutionDir('03-gossipsub-chat'), 'node.ts'))
  })
})
