/**
 * The browser's libp2p node: the shared option set from mesh/, the shared topic
 * validators, and subscriptions to the chat and LLMesh extension topics.
 */
import type { PrivateKey } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { browserPeerOptions } from '../../../mesh/browser-options.ts'
import { installTopicValidators } from '../../../mesh/gossip.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'

export async function createBrowserNode (privateKey: PrivateKey, allowLan: boolean) {
  const node = await createLibp2p(browserPeerOptions({ privateKey, allowLan }))
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.subscribe(CHAT_TOPIC)
  node.services.pubsub.subscribe(LLMESH_TOPIC)
  return node
}

export type BrowserNode = Awaited<ReturnType<typeof createBrowserNode>>
