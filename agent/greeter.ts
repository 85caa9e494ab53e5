/**
 * Greets each peer that joins the chat topic, once per agent lifetime: a peer
 * that reconnects twenty times is greeted once, not twenty times.
 */
import HLRU from 'hashlru'
import { shortPeerId } from '../mesh/names.ts'
import type { ChatPublisher } from './chat-publisher.ts'

const GREETING_DELAYS_MS = [50, 150, 300, 500, 1000, 2000]

export interface GreeterOptions {
  chat: ChatPublisher
  agentName: string
  log: (line: string) => void
  /** True once a chat message published now would be sent to `peer`. */
  canReach: (peer: string) => boolean
  isConnected: (peer: string) => boolean
  /**
   * Runs just before a greeting goes out. The agent announces its presence here, so
   * that other agents (even ones several hops away) know the greeting comes from an
   * agent before it arrives, and do not answer it.
   */
  beforeGreeting: () => Promise<void>
  /** Peers remembered as greeted (hashlru keeps up to twice as many). */
  maxRemembered?: number
}

export class Greeter {
  private readonly greeted: ReturnType<typeof HLRU>

  constructor (private readonly options: GreeterOptions) {
    this.greeted = HLRU(options.maxRemembered ?? 10_000)
  }

  async greet (peer: string): Promise<void> {
    if (this.greeted.has(peer)) return
    this.greeted.set(peer, true)
    // The peer's own id makes every greeting unique, which peers that hash message data need.
    const text = `🛸 Welcome to the mesh, ${shortPeerId(peer)}. I am ${this.options.agentName}. Ask me anything, or "who is here?"`
    // A subscription can arrive before our own gossipsub stream to that peer is open;
    // a greeting published then would never reach it, so wait for the stream a little.
    for (const delay of GREETING_DELAYS_MS) {
      await new Promise(resolve => setTimeout(resolve, delay))
      if (!this.options.isConnected(peer)) return
      if (!this.options.canReach(peer)) continue
      try {
        await this.options.beforeGreeting()
        await this.options.chat.say(text)
        this.options.log(`greeted ${shortPeerId(peer)}`)
      } catch (err) {
        this.options.log(`could not greet ${shortPeerId(peer)}: ${(err as Error).message}`)
      }
      return
    }
    this.options.log(`could not greet ${shortPeerId(peer)}: no gossipsub stream to it`)
  }
}
