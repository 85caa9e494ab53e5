/**
 * Greets each peer that joins the chat topic, once per agent lifetime: a peer
 * that reconnects twenty times is greeted once, not twenty times.
 */
import { shortPeerId } from '../mesh/names.ts'
import type { ChatPublisher } from './chat-publisher.ts'

const GREETING_DELAYS_MS = [50, 150, 300, 500, 1000, 2000]

export class Greeter {
  private readonly greeted = new Set<string>()

  constructor (
    private readonly chat: ChatPublisher,
    private readonly agentName: string,
    private readonly log: (line: string) => void,
    /** True once a chat message published now would be sent to `peer`. */
    private readonly canReach: (peer: string) => boolean,
    private readonly isConnected: (peer: string) => boolean,
    private readonly maxRemembered = 10_000
  ) {}

  async greet (peer: string): Promise<void> {
    if (this.greeted.has(peer)) return
    this.greeted.add(peer)
    if (this.greeted.size > this.maxRemembered) this.greeted.delete(this.greeted.values().next().value as string)
    // The peer's own id makes every greeting unique, which peers that hash message data need.
    const text = `🛸 Welcome to the mesh, ${shortPeerId(peer)}. I am ${this.agentName}. Ask me anything, or "who is here?"`
    // A subscription can arrive before our own gossipsub stream to that peer is open;
    // a greeting published then would never reach it, so wait for the stream a little.
    for (const delay of GREETING_DELAYS_MS) {
      await new Promise(resolve => setTimeout(resolve, delay))
      if (!this.isConnected(peer)) return
      if (!this.canReach(peer)) continue
      try {
        await this.chat.say(text)
        this.log(`greeted ${shortPeerId(peer)}`)
      } catch (err) {
        this.log(`could not greet ${shortPeerId(peer)}: ${(err as Error).message}`)
      }
      return
    }
    this.log(`could not greet ${shortPeerId(peer)}: no gossipsub stream to it`)
  }
}
