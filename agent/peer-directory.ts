/**
 * What the agent knows about other peers: which are agents (from their presence
 * or their identify agent version), their announced names, and their roles.
 * Bounded: a mesh full of throwaway identities must not grow it forever, so the
 * least recently heard peers are forgotten first.
 */
import HLRU from 'hashlru'
import type { PeerRole } from '../mesh/protocol.ts'

/** Peers remembered at least (hashlru keeps up to twice as many). */
export const PEERS_REMEMBERED = 5000

interface Entry { role?: PeerRole, name?: string, agent: boolean }

export class PeerDirectory {
  private readonly peers: ReturnType<typeof HLRU>

  constructor (max = PEERS_REMEMBERED) {
    this.peers = HLRU(max)
  }

  /** The role a peer's identify agent version names. */
  identified (peer: string, role: PeerRole | undefined): void {
    if (role == null) return
    const entry = this.touch(peer)
    entry.role = role
    if (role === 'agent') entry.agent = true
  }

  /** A presence announcement (already validated): agents tell us their name. */
  announced (peer: string, presence: { role: PeerRole, name: string }): void {
    const entry = this.touch(peer)
    entry.role = presence.role
    if (presence.role === 'agent') {
      entry.agent = true
      entry.name = presence.name
    }
  }

  isAgent (peer: string): boolean {
    return this.entry(peer)?.agent === true
  }

  nameOf (peer: string): string | undefined {
    return this.entry(peer)?.name
  }

  roleOf (peer: string): PeerRole | undefined {
    const entry = this.entry(peer)
    return entry?.agent === true ? 'agent' : entry?.role
  }

  private entry (peer: string): Entry | undefined {
    return this.peers.get(peer) as Entry | undefined
  }

  private touch (peer: string): Entry {
    const entry = this.entry(peer) ?? { agent: false }
    this.peers.set(peer, entry)
    return entry
  }
}
