/**
 * A bounded conversation memory per peer, so the model sees recent context
 * without an ever-growing prompt.
 */
import HLRU from 'hashlru'
import type { PromptMessage } from './llm/types.ts'

export class Conversations {
  /** Peer → its recent turns; the least recently heard are forgotten (hashlru keeps up to twice `maxPeers`). */
  private readonly byPeer: ReturnType<typeof HLRU>

  constructor (private readonly turns: number, maxPeers = 1000) {
    this.byPeer = HLRU(maxPeers)
  }

  history (peer: string): PromptMessage[] {
    return [...(this.byPeer.get(peer) as PromptMessage[] | undefined ?? [])]
  }

  add (peer: string, message: PromptMessage): void {
    const messages = [...this.history(peer), message]
    this.byPeer.set(peer, messages.slice(Math.max(0, messages.length - this.turns)))
  }
}
