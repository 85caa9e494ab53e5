/**
 * The only place libp2p events meet the store: each event becomes store actions.
 */
import type { GossipsubMessage } from '@libp2p/gossipsub'
import type { IdentifyResult, PeerId } from '@libp2p/interface'
import { CHAT_TOPIC } from '../../../mesh/protocol.ts'
import { meshPeersOf } from '../../../mesh/gossipsub-internals.ts'
import type { MeshStore } from '../store/index.ts'
import type { BrowserNode } from './browser-node.ts'
import { describeConnection } from './connection-view.ts'
import { handleGossipMessage } from './gossip-handler.ts'

export interface BridgeHooks {
  /** Every connection to this peer is gone. */
  peerDisconnected: (peerId: string) => void
}

export function bridgeNodeEvents (node: BrowserNode, store: MeshStore, hooks: BridgeHooks): { refresh: () => void, unbind: () => void } {
  const pubsub = node.services.pubsub
  const selfId = node.peerId.toString()

  let scheduled: ReturnType<typeof setTimeout> | undefined
  const refresh = (): void => {
    store.peers.ownConnections(node.getConnections().map(describeConnection))
    store.peers.ownMeshPeers(meshPeersOf(pubsub, CHAT_TOPIC))
  }
  // Connections open and close in bursts; one refresh per burst is enough.
  const refreshSoon = (): void => {
    if (scheduled != null) return
    scheduled = setTimeout(() => { scheduled = undefined; refresh() }, 30)
  }

  const onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const { peerId, agentVersion, protocols, listenAddrs } = event.detail
    store.peers.identified(peerId.toString(), {
      ...(agentVersion != null ? { agentVersion } : {}),
      protocols,
      addresses: listenAddrs.map(a => a.toString())
    })
    refreshSoon()
  }
  const onDisconnect = (event: CustomEvent<PeerId>): void => {
    refreshSoon()
    hooks.peerDisconnected(event.detail.toString())
  }
  const onMessage = (event: CustomEvent<GossipsubMessage>): void => {
    handleGossipMessage(store, selfId, event.detail)
  }

  node.addEventListener('connection:open', refreshSoon)
  node.addEventListener('connection:close', refreshSoon)
  node.addEventListener('peer:identify', onIdentify)
  node.addEventListener('peer:disconnect', onDisconnect)
  pubsub.addEventListener('gossipsub:message', onMessage)
  pubsub.addEventListener('gossipsub:graft', refreshSoon)
  pubsub.addEventListener('gossipsub:prune', refreshSoon)

  return {
    refresh,
    unbind () {
      clearTimeout(scheduled)
      node.removeEventListener('connection:open', refreshSoon)
      node.removeEventListener('connection:close', refreshSoon)
      node.removeEventListener('peer:identify', onIdentify)
      node.removeEventListener('peer:disconnect', onDisconnect)
      pubsub.removeEventListener('gossipsub:message', onMessage)
      pubsub.removeEventListener('gossipsub:graft', refreshSoon)
      pubsub.removeEventListener('gossipsub:prune', refreshSoon)
    }
  }
}
