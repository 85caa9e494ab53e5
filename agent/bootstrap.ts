/**
 * Keeps the agent connected to the peers named with --bootstrap. This is how an
 * agent joins an existing mesh (another agent, a universal-connectivity peer).
 *
 * libp2p does the keeping: a peer tagged `keep-alive` is redialed by its
 * connection manager whenever it disconnects, with backoff (1, 2, 4, 8, 16 s by
 * default). libp2p does not retry a first dial that fails, and gives up (and
 * drops the tag) after its retries; for those two cases this dialer tags the
 * peer again and tries once more every `retryMs`, so a bootstrap peer that is
 * down for an hour is still joined when it comes back.
 */
import { KEEP_ALIVE } from '@libp2p/interface'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { checkDialAddress } from '../mesh/address.ts'

/** Keep-alive tags are any tag starting with `keep-alive`; this one is ours. */
const BOOTSTRAP_TAG = `${KEEP_ALIVE}-llmesh-bootstrap`

export interface BootstrapOptions {
  /** Wait between attempts once libp2p's own retries are used up. */
  retryMs?: number
  log: (line: string) => void
}

interface Target { addr: Multiaddr, peerId: PeerId, failures: number, timer?: ReturnType<typeof setTimeout> }

export class BootstrapDialer {
  private readonly targets: Target[] = []
  private stopped = false
  private readonly retryMs: number

  constructor (private readonly node: Libp2p, addresses: string[], private readonly options: BootstrapOptions) {
    this.retryMs = options.retryMs ?? 30_000
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
      this.targets.push({ addr: check.addr, peerId: peerIdFromString(check.peerId), failures: 0 })
    }
  }

  start (): void {
    this.node.addEventListener('peer:reconnect-failure', this.onGaveUp)
    for (const target of this.targets) void this.join(target)
  }

  stop (): void {
    this.stopped = true
    this.node.removeEventListener('peer:reconnect-failure', this.onGaveUp)
    for (const target of this.targets) clearTimeout(target.timer)
  }

  /** libp2p used up its reconnect attempts and dropped the keep-alive tag. */
  private readonly onGaveUp = (event: CustomEvent<PeerId>): void => {
    const target = this.targets.find(t => t.peerId.equals(event.detail))
    if (target == null) return
    target.failures++
    if (target.failures === 1) this.options.log(`lost bootstrap peer ${target.addr.toString()}; trying again every ${Math.round(this.retryMs / 1000)} s`)
    this.retryLater(target)
  }

  private async join (target: Target): Promise<void> {
    if (this.stopped) return
    try {
      await this.node.peerStore.merge(target.peerId, { multiaddrs: [target.addr], tags: { [BOOTSTRAP_TAG]: { value: 50 } } })
      await this.node.dial(target.addr, { signal: AbortSignal.timeout(10_000) })
      if (target.failures > 0) this.options.log(`bootstrap peer ${target.addr.toString()} reached after ${target.failures} ${target.failures === 1 ? 'retry' : 'retries'}`)
      target.failures = 0
    } catch (err) {
      if (this.stopped) return
      target.failures++
      if (target.failures === 1) this.options.log(`cannot reach bootstrap peer ${target.addr.toString()} (${(err as Error).message}); trying again every ${Math.round(this.retryMs / 1000)} s`)
      this.retryLater(target)
    }
  }

  private retryLater (target: Target): void {
    if (this.stopped) return
    clearTimeout(target.timer)
    target.timer = setTimeout(() => { void this.join(target) }, this.retryMs)
    target.timer.unref?.()
  }
}
