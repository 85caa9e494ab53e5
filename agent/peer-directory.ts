/**
 * What the agent knows about other peers: which are agents (from their presence
 * or their identify agent version), their announced names, and their roles.
 * Bounded: a mesh full of throwaway identities must not grow it forever, so the
 * least recently heard peers are forgotten first.
 */
import type { PeerRole } from '../mesh/protocol.ts'

export const PEERS_REMEMBERED = 5000

interface Entry { role?: PeerRole, name?: string, agent: boolean }

export class PeerDirectory {
  private readonly peers = new Map<string, Entry>()

  constructor (private readonly max = PEERS_REMEMBERED) {}

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
    return this.peers.get(peer)?.agent === true
  }

  nameOf (peer: string): string | undefined {
    return this.peers.get(peer)?.name
  }

  roleOf (peer: string): PeerRole | undefined {
    const entry = this.peers.get(peer)
    return entry?.agent === true ? 'agent' : entry?.role
  }

  get size (): number {
    return this.peers.size
  }

  private touch (peer: string): Entry {
    const entry = this.peers.get(peer) ?? { agent: false }
    this.peers.delete(peer)
    this.peers.set(peer, entry)
    if (this.peers.size > this.max) this.peers.delete(this.peers.keys().next().value as string)
    return entry
  }
}
