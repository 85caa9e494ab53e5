/**
 * The browser's libp2p node: the shared option set from mesh/, the shared topic
 * validators, and subscriptions to the chat and LLMesh extension topics.
 */
import type { PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { browserDialAllowed, browserPeerOptions } from '../../../mesh/browser-options.ts'
import { installTopicValidators } from '../../../mesh/gossip.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'

/** Whether the LAN may be dialed: owned by the session, changed when the person pastes a LAN address. */
export interface LanPolicy { allowLan: boolean }

/** The dial gater, reading the LAN flag at dial time (not once, when the node was made). */
export function browserGater (lan: LanPolicy) {
  return { denyDialMultiaddr: (addr: Multiaddr) => !browserDialAllowed(addr, lan.allowLan) }
}

export async function createBrowserNode (privateKey: PrivateKey, lan: LanPolicy) {
  const node = await createLibp2p({ ...browserPeerOptions({ privateKey }), connectionGater: browserGater(lan) })
  installTopicValidators(node.services.pubsub)
  node.services.pubsub.subscribe(CHAT_TOPIC)
  node.services.pubsub.subscribe(LLMESH_TOPIC)
  return node
}

export type BrowserNode = Awaited<ReturnType<typeof createBrowserNode>>
