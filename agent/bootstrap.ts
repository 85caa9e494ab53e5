/**
 * Keeps the agent connected to the peers named with --bootstrap: dial at start,
 * and redial with exponential backoff whenever the connection is missing. This
 * is how an agent joins an existing mesh (another agent, a universal-connectivity peer).
 */
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { checkDialAddress } from '../mesh/address.ts'

export interface BootstrapOptions {
  minDelayMs?: number
  maxDelayMs?: number
  log: (line: string) => void
}

interface Target { addr: Multiaddr, peerId: string, failures: number, timer?: ReturnType<typeof setTimeout> }

export class BootstrapDialer {
  private readonly targets: Target[] = []
  private stopped = false
  private readonly minDelayMs: number
  private readonly maxDelayMs: number

  constructor (private readonly node: Libp2p, addresses: string[], private readonly options: BootstrapOptions) {
    this.minDelayMs = options.minDelayMs ?? 1000
    this.maxDelayMs = options.maxDelayMs ?? 30_000
    for (const text of addresses) {
      const check = checkDialAddress(text, 'node')
      if (!check.ok) {
        options.log(`ignoring --bootstrap ${text}: ${check.reason}`)
        continue
      }
      if (check.peerId === node.peerId.toString()) {
        options.log(`ignoring --bootstrap ${text}: that is this agent's own address`)
        continue
      }
      this.targets.push({ addr: check.addr, peerId: check.peerId, failures: 0 })
    }
  }

  start (): void {
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    for (const target of this.targets) void this.dial(target)
  }

  stop (): void {
    this.stopped = true
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    for (const target of this.targets) clearTimeout(target.timer)
  }

  private readonly onDisconnect = (event: CustomEvent<{ toString: () => string }>): void => {
    const target = this.targets.find(t => t.peerId === event.detail.toString())
    if (target != null) this.schedule(target)
  }

  private async dial (target: Target): Promise<void> {
    if (this.stopped) return
    try {
      await this.node.dial(target.addr, { signal: AbortSignal.timeout(10_000) })
      if (target.failures > 0) this.options.log(`bootstrap peer ${target.addr.toString()} reached after ${target.failures} retries`)
      target.failures = 0
    } catch (err) {
      if (this.stopped) return
      target.failures++
      if (target.failures === 1) this.options.log(`cannot reach bootstrap peer ${target.addr.toString()} (${(err as Error).message}); retrying with backoff`)
      this.schedule(target)
    }
  }

  private schedule (target: Target): void {
    if (this.stopped) return
    clearTimeout(target.timer)
    const delay = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** Math.min(target.failures, 10))
    target.timer = setTimeout(() => { void this.dial(target) }, delay)
    target.timer.unref?.()
  }
}
