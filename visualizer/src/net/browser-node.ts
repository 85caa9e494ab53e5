/**
 * The browser's libp2p node: the shared option set from mesh/, the shared topic
 * validators, and subscriptions to the chat and LLMesh extension topics.
 */
import type { PrivateKey } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { browserPeerOptions } from '../../../mesh/browser-options.ts'
import { installTopicValidators, meshGossipsub } from '../../../mesh/gossip.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'

/** Whether the LAN may be dialed: owned by the session, changed when the person pastes a LAN address. */
export interface LanPolicy { allowLan: boolean }

export async function createBrowserNode (privateKey: PrivateKey, lan: LanPolicy) {
  // The gater reads the LAN flag at every dial, not once when the node was made.
  const options = browserPeerOptions({ privateKey, allowLan: () => lan.allowLan })
  // Our own messages come back to us during publish: that is how we learn their
  // sequence numbers, which name them in the agent's history (see publisher.ts).
  const node = await createLibp2p({ ...options, services: { ...options.services, pubsub: meshGossipsub({ emitSelf: true }) } })
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.subscribe(CHAT_TOPIC)
  node.services.pubsub.subscribe(LLMESH_TOPIC)
  return node
}

export type BrowserNode = Awaited<ReturnType<typeof createBrowserNode>>
