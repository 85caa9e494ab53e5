/**
 * Whether the agent hears us, from its history: found, missing, or no answer.
 */
import type { SignedMessage } from '@libp2p/gossipsub'
import { describe, expect, it } from 'vitest'
import { AgentHistory } from '../src/net/agent-history.ts'
import { createMeshStore } from '../src/store/index.ts'
import { AGENT, SELF } from './fake-context.ts'

const message = (from: string, seq: bigint, text: string): SignedMessage =>
  ({ type: 'signed', from: { toString: () => from }, sequenceNumber: seq, data: new TextEncoder().encode(text), topic: 'universal-connectivity' }) as unknown as SignedMessage

function setup (fetch: () => Promise<SignedMessage[]>) {
  const store = createMeshStore()
  store.peers.setSelf(SELF, 'x')
  store.connection.beginConnect('/x', AGENT, 'first')
  store.connection.synced('ws')
  const own = store.chat.composed('hello', { state: 'sending' })
  store.chat.published(own.id, { seq: '7', recipients: 1, toAgent: true })
  const history = new AgentHistory(store, { fetch, firstCheckMs: 5, nextCheckMs: 5, confirmWithinMs: 40 })
  history.track(own.id, '7')
  return { store, history, delivery: () => store.state.messages[0]!.delivery }
}
const sleep = async (ms: number) => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('AgentHistory', () => {
  it('says the agent has our message once its history lists it', async () => {
    const { store, history, delivery } = setup(async () => [message(AGENT, 1n, 'welcome'), message(SELF, 7n, 'hello')])
    await sleep(60)
    expect(delivery()).toMatchObject({ agentHas: true })
    expect(store.state.connection.agentHears).toBe('yes')
    history.stop()
  })

  it('says the agent does not hear us when its history lists others but, past the deadline, not us', async () => {
    const { store, history, delivery } = setup(async () => [message(AGENT, 1n, 'welcome')])
    await sleep(150)
    expect(delivery()).toMatchObject({ agentHas: false })
    expect(store.state.connection.agentHears).toBe('no')
    history.stop()
  })

  it('concludes nothing from an empty history, and keeps asking while the agent does not answer', async () => {
    const empty = setup(async () => [])
    const silent = setup(async () => { throw new Error('timed out') })
    await sleep(150)
    for (const { store, delivery, history } of [empty, silent]) {
      expect(delivery()).not.toHaveProperty('agentHas')
      expect(store.state.connection.agentHears).toBeUndefined()
      history.stop()
    }
  })
})
