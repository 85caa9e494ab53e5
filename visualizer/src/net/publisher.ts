/**
 * Everything we publish: chat text, our presence, our topology report.
 */
import type { GossipsubMessage } from '@libp2p/gossipsub'
import { equals } from 'uint8arrays/equals'
import { encodeExtensionMessage } from '../../../mesh/extension.ts'
import type { ConnectionReport } from '../../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../../mesh/protocol.ts'
import { shortPeerId } from '../../../mesh/names.ts'
import { distinctFromPrevious } from '../../../mesh/repeat.ts'
import { fitTopologyReport } from '../../../mesh/topology-report.ts'
import type { MeshState } from '../store/index.ts'
import type { BrowserNode } from './browser-node.ts'

const encoder = new TextEncoder()

export class Publisher {
  private lastChatText?: string
  private lastTopologyKey = ''
  private lastTopologyAt = 0

  constructor (private readonly node: BrowserNode) {}

  /**
   * Publish chat text. Returns the peers gossipsub wrote it to, and its sequence
   * number (how the agent's history names it), learnt from our own copy: the
   * node emits its own messages to itself (`emitSelf`) during `publish`. No
   * sequence number means gossipsub published nothing (a duplicate).
   */
  async chat (text: string): Promise<{ seq?: string, recipients: string[] }> {
    const payload = distinctFromPrevious(text, this.lastChatText)
    const bytes = encoder.encode(payload)
    const pubsub = this.node.services.pubsub
    const self = this.node.peerId
    let seq: string | undefined
    const ownCopy = (event: CustomEvent<GossipsubMessage>): void => {
      const { msg } = event.detail
      if (msg.type === 'signed' && msg.topic === CHAT_TOPIC && msg.from.equals(self) && equals(msg.data, bytes)) seq = msg.sequenceNumber.toString()
    }
    pubsub.addEventListener('gossipsub:message', ownCopy)
    try {
      const result = await pubsub.publish(CHAT_TOPIC, bytes)
      this.lastChatText = payload
      return { ...(seq != null ? { seq } : {}), recipients: result.recipients.filter(p => !p.equals(self)).map(p => p.toString()) }
    } finally {
      pubsub.removeEventListener('gossipsub:message', ownCopy)
    }
  }

  /** We leave on purpose: other viewers drop us at once. */
  async goodbye (): Promise<void> {
    await this.extension(encodeExtensionMessage({ type: 'goodbye' }))
  }

  async presence (): Promise<void> {
    const self = this.node.peerId.toString()
    await this.extension(encodeExtensionMessage({ type: 'presence', role: 'browser', name: shortPeerId(self) }))
  }

  /**
   * Our own connections, so that every other viewer can draw links the agent
   * cannot see (browser ↔ browser). Sent when they change, and now and then.
   */
  async topology (state: Pick<MeshState, 'ownConnections' | 'ownMeshPeers' | 'peers'>, now = Date.now(), refreshMs = 15_000): Promise<void> {
    const connections: ConnectionReport[] = state.ownConnections.map(c => {
      const peer = state.peers.get(c.peer)
      return {
        peer: c.peer,
        transport: c.transport,
        direction: c.direction,
        limited: c.limited,
        ...(peer?.rttMs != null ? { rttMs: peer.rttMs } : {}),
        ...(peer?.agentVersion != null ? { agentVersion: peer.agentVersion.slice(0, 200) } : {})
      }
    })
    const key = JSON.stringify([connections.map(c => [c.peer, c.transport, c.limited]), state.ownMeshPeers])
    if (key === this.lastTopologyKey && now - this.lastTopologyAt < refreshMs) return
    this.lastTopologyKey = key
    this.lastTopologyAt = now
    await this.extension(encodeExtensionMessage(fitTopologyReport({
      type: 'topology',
      peer: this.node.peerId.toString(),
      connections,
      meshPeers: state.ownMeshPeers
    })))
  }

  private async extension (data: Uint8Array): Promise<void> {
    await this.node.services.pubsub.publish(LLMESH_TOPIC, data)
  }
}
