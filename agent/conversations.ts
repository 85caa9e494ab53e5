/**
 * A bounded conversation memory per peer, so the model sees recent context
 * without an ever-growing prompt.
 */
import type { PromptMessage } from './llm/types.ts'

export class Conversations {
  private readonly byPeer = new Map<string, PromptMessage[]>()

  constructor (private readonly turns: number, private readonly maxPeers = 1000) {}

  history (peer: string): PromptMessage[] {
    return [...(this.byPeer.get(peer) ?? [])]
  }

  add (peer: string, message: PromptMessage): void {
    const messages = this.byPeer.get(peer) ?? []
    messages.push(message)
    if (messages.length > this.turns) messages.splice(0, messages.length - this.turns)
    this.byPeer.delete(peer)
    this.byPeer.set(peer, messages)
    if (this.byPeer.size > this.maxPeers) this.byPeer.delete(this.byPeer.keys().next().value as string)
  }
}
