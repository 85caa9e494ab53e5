/**
 * Publishes the agent's topology report on an interval and shortly after the
 * connections or the gossip mesh change (debounced: churn costs one report).
 */
import type { Libp2p } from '@libp2p/interface'
import type { ExtensionPublisher } from './extension-publisher.ts'
import { buildTopologyReport } from './topology.ts'

const CHANGE_DEBOUNCE_MS = 300

export class TopologyPublisher {
  private debounce: ReturnType<typeof setTimeout> | undefined
  private readonly interval: ReturnType<typeof setInterval>
  private readonly changed = (): void => {
    clearTimeout(this.debounce)
    this.debounce = setTimeout(() => { void this.publish() }, CHANGE_DEBOUNCE_MS)
  }

  constructor (private readonly node: Libp2p<{ pubsub: EventTarget }>, private readonly extension: Pick<ExtensionPublisher, 'send'>, intervalMs: number) {
    this.interval = setInterval(() => { void this.publish() }, intervalMs)
    node.addEventListener('connection:open', this.changed)
    node.addEventListener('connection:close', this.changed)
    node.services.pubsub.addEventListener('gossipsub:graft', this.changed)
    node.services.pubsub.addEventListener('gossipsub:prune', this.changed)
  }

  async publish (): Promise<void> {
    await this.extension.send(await buildTopologyReport(this.node))
  }

  stop (): void {
    clearInterval(this.interval)
    clearTimeout(this.debounce)
    this.node.removeEventListener('connection:open', this.changed)
    this.node.removeEventListener('connection:close', this.changed)
    this.node.services.pubsub.removeEventListener('gossipsub:graft', this.changed)
    this.node.services.pubsub.removeEventListener('gossipsub:prune', this.changed)
  }
}
