/**
 * The one place LLMesh uses members of @libp2p/gossipsub that its published
 * `GossipSub` interface does not declare, for what it has no public API for.
 * Each degrades quietly at run time (see its comment); the test beside it,
 * mesh/test/gossipsub-internals.test.ts, fails loudly when an upgrade renames
 * or removes one. Browser-safe.
 */
import type { RPC } from '@libp2p/gossipsub/message'
import type { PeerId } from '@libp2p/interface'

/** Why gossipsub refused a message, and from whom. */
export interface RejectedMessage {
  /** The neighbour that sent it. */
  from: string
  /** gossipsub's ValidateError or reject reason, e.g. "invalid_seqno" for an unsigned message. */
  why: string
}

type Validate = (source: PeerId, rpc: RPC.Message) => Promise<{ code: string, error?: string, reason?: string }>

/**
 * The peers `pubsub` has in its mesh for `topic` (the implementation's public
 * `getMeshPeers`). None when the method is gone: a topology view shows fewer links.
 */
export function meshPeersOf (pubsub: unknown, topic: string): string[] {
  return (pubsub as { getMeshPeers?: (topic: string) => string[] }).getMeshPeers?.(topic) ?? []
}

/**
 * Call `onRejected` for every message gossipsub refuses. gossipsub has no event
 * for them (an unsigned message under StrictSign never reaches a topic
 * validator), so this wraps its private `validateReceivedMessage`. Returns false,
 * observing nothing, when the member is gone.
 */
export function observeRejectedMessages (pubsub: unknown, onRejected: (rejection: RejectedMessage) => void): boolean {
  const internals = pubsub as { validateReceivedMessage?: Validate }
  const validate = internals.validateReceivedMessage
  if (typeof validate !== 'function') return false
  internals.validateReceivedMessage = async (source, rpc) => {
    const result = await validate.call(pubsub, source, rpc)
    if (result.code === 'invalid') onRejected({ from: source.toString(), why: result.error ?? result.reason ?? 'invalid' })
    return result
  }
  return true
}

/**
 * Send an RPC as it is down gossipsub's own stream to `peer`, signed or not,
 * as a forwarding neighbour (or an attacker) would: the security tests' way in
 * (private `sendRpc`). Throws when the member is gone or no stream is open.
 */
export function sendRawRpc (pubsub: unknown, peer: string, rpc: RPC): void {
  const sendRpc = (pubsub as { sendRpc?: (id: string, rpc: RPC) => boolean }).sendRpc
  if (typeof sendRpc !== 'function') throw new Error('gossipsub no longer has sendRpc: mesh/gossipsub-internals.ts needs another way in')
  if (!sendRpc.call(pubsub, peer, rpc)) throw new Error(`no gossipsub stream to ${peer}`)
}
