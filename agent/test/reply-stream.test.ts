import { describe, expect, it } from 'vitest'
import { ReplyStream } from '../reply-stream.ts'
import type { ExtensionPublisher } from '../extension-publisher.ts'
import type { OutgoingExtensionMessage } from '../../mesh/extension.ts'

function recorder (): { extension: ExtensionPublisher, sent: OutgoingExtensionMessage[] } {
  const sent: OutgoingExtensionMessage[] = []
  const extension = { send: async (message: OutgoingExtensionMessage) => { sent.push(message) } } as unknown as ExtensionPublisher
  return { extension, sent }
}

describe('ReplyStream', () => {
  it('sends the first delta at once, then batches until the flush size', async () => {
    const { extension, sent } = recorder()
    // A flush delay far beyond the test: only the first-delta rule can send before finish().
    const stream = new ReplyStream(extension, { replyId: 'r1', provider: 'ollama', model: 'm', flushChars: 10, flushMs: 60_000 })
    stream.push('Hel')
    await expect.poll(() => sent.map(c => c.type === 'reply' ? c.delta : '')).toEqual(['Hel'])
    stream.push('lo, ')
    stream.push('wor')
    await new Promise(resolve => setImmediate(resolve))
    expect(sent).toHaveLength(1)
    stream.push('ld!')
    await expect.poll(() => sent.length).toBe(2)
    await stream.finish()
    const deltas = sent.map(c => c.type === 'reply' ? [c.index, c.delta, c.done] : [])
    expect(deltas).toEqual([[0, 'Hel', false], [1, 'lo, world!', false], [2, '', true]])
  })
})
