/**
 * Dials peers that mDNS or pubsub discovery report, within bounds. Discovery is
 * unauthenticated: anyone on the discovery topic can announce a thousand peers
 * at an address of their choosing, and a node that dials them all becomes a
 * tool for reaching that address. So dials are few at a time and rate-limited,
 * and an address that failed is not dialed again for a while, whatever peer id
 * is announced for it.
 */
import HLRU from 'hashlru'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { PeerRateLimiter } from './rate-limit.ts'

export const DISCOVERY_DIALS_IN_FLIGHT = 2
export const DISCOVERY_DIAL_BURST = 5
export const DISCOVERY_DIAL_REFILL_SECONDS = 2
/** How long an address that failed is left alone. */
export const FAILED_ADDRESS_PAUSE_MS = 10 * 60_000
const DIAL_TIMEOUT_MS = 10_000
const ADDRESSES_REMEMBERED = 2000

/** Discovered peers waiting for a dial slot; the oldest give way to newer ones. */
export const DISCOVERY_QUEUE = 32

interface Candidate { id: PeerId, multiaddrs: Multiaddr[] }

export class DiscoveryDialer {
  private inFlight = 0
  private readonly budget = new PeerRateLimiter(DISCOVERY_DIAL_BURST, DISCOVERY_DIAL_REFILL_SECONDS)
  /** Transport address (without /p2p) → when a dial to it last failed. */
  private readonly failedAt = HLRU(ADDRESSES_REMEMBERED)
  private readonly waiting = new Map<string, Candidate>()
  private retry: ReturnType<typeof setTimeout> | undefined
  private stopped = false

  constructor (private readonly node: Libp2p, private readonly now: () => number = Date.now) {}

  /** A discovery event: the peer is dialed when a slot and the budget allow, if still worth it then. */
  discovered (id: PeerId, multiaddrs: Multiaddr[]): void {
    if (this.stopped || id.equals(this.node.peerId)) return
    const key = id.toString()
    this.waiting.delete(key)
    this.waiting.set(key, { id, multiaddrs })
    if (this.waiting.size > DISCOVERY_QUEUE) this.waiting.delete(this.waiting.keys().next().value as string)
    this.pump()
  }

  stop (): void {
    this.stopped = true
    this.waiting.clear()
    clearTimeout(this.retry)
  }

  private pump (): void {
    while (!this.stopped && this.inFlight < DISCOVERY_DIALS_IN_FLIGHT && this.waiting.size > 0) {
      const [key, candidate] = this.waiting.entries().next().value as [string, Candidate]
      const direct = this.dialable(candidate)
      if (direct.length === 0) { this.waiting.delete(key); continue }
      const allowance = this.budget.take('*')
      if (!allowance.allowed) {
        clearTimeout(this.retry)
        this.retry = setTimeout(() => { this.pump() }, allowance.retryAfterSeconds * 1000)
        this.retry.unref?.()
        return
      }
      this.waiting.delete(key)
      this.inFlight++
      // By peer id: libp2p dials the addresses discovery just stored for it.
      this.node.dial(candidate.id, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
        .catch(() => { for (const addr of direct) this.failedAt.set(transportKey(addr), this.now()) })
        .finally(() => { this.inFlight--; this.pump() })
    }
  }

  /** The candidate's direct addresses worth a dial now; none if it is connected already. */
  private dialable ({ id, multiaddrs }: Candidate): Multiaddr[] {
    if (this.node.getConnections(id).length > 0) return []
    return multiaddrs
      .filter(addr => !addr.getComponents().some(c => c.name === 'p2p-circuit'))
      .filter(addr => !this.recentlyFailed(addr))
  }

  private recentlyFailed (addr: Multiaddr): boolean {
    const at = this.failedAt.get(transportKey(addr)) as number | undefined
    return at != null && this.now() - at < FAILED_ADDRESS_PAUSE_MS
  }
}

/** The address without its peer id: the same host and port under any announced identity. */
function transportKey (addr: Multiaddr): string {
  return addr.getComponents().filter(c => c.name !== 'p2p').map(c => `/${c.name}${c.value != null ? `/${c.value}` : ''}`).join('')
}
