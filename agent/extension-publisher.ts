/**
 * Publishes LLMesh extension messages (presence, reply chunks, topology) on the
 * extension topic. Failures are logged, never thrown: the extension is a bonus
 * on top of the plain chat, and must not break it.
 */
import { encodeExtensionMessage } from '../mesh/extension.ts'
import type { OutgoingExtensionMessage } from '../mesh/extension.ts'
import { LLMESH_TOPIC } from '../mesh/protocol.ts'
import type { Publisher } from './chat-publisher.ts'

export class ExtensionPublisher {
  constructor (private readonly pubsub: Publisher, private readonly log: (line: string) => void) {}

  async send (message: OutgoingExtensionMessage): Promise<void> {
    try {
      await this.pubsub.publish(LLMESH_TOPIC, encodeExtensionMessage(message))
    } catch (err) {
      this.log(`could not publish ${message.type} on ${LLMESH_TOPIC}: ${(err as Error).message}`)
    }
  }
}
