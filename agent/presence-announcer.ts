/**
 * The agent's presence on the extension topic: who it is and which model answers
 * for it. Announced on an interval, soon after a peer subscribes (debounced, so
 * ten peers joining at once cost one announcement), with each greeting, and when
 * the answering model changes.
 */
import { LLMESH_VERSION } from '../mesh/protocol.ts'
import type { ExtensionPublisher } from './extension-publisher.ts'

const SUBSCRIBE_DEBOUNCE_MS = 200

export interface PresenceAnnouncerOptions {
  extension: Pick<ExtensionPublisher, 'send'>
  name: string
  persona: string
  /** What answers when no model has answered yet, e.g. "ollama (llama3.2) → offline persona". */
  chain: string
  intervalMs: number
}

export class PresenceAnnouncer {
  private provider: { provider: string, model: string } | undefined
  private debounce: ReturnType<typeof setTimeout> | undefined
  private readonly interval: ReturnType<typeof setInterval>

  constructor (private readonly options: PresenceAnnouncerOptions) {
    this.interval = setInterval(() => { void this.announce() }, options.intervalMs)
  }

  async announce (): Promise<void> {
    await this.options.extension.send({
      type: 'presence',
      role: 'agent',
      name: this.options.name,
      // One-line fields are validated as printable by every peer (mesh/extension.ts).
      persona: this.options.persona.slice(0, 200).replace(/[^\P{Cc}\n]/gu, ' '),
      provider: this.provider?.provider ?? this.options.chain,
      ...(this.provider != null ? { model: this.provider.model } : {}),
      version: LLMESH_VERSION
    })
  }

  /** A peer subscribed to the extension topic: announce soon, once for a burst of them. */
  soon (): void {
    clearTimeout(this.debounce)
    this.debounce = setTimeout(() => { void this.announce() }, SUBSCRIBE_DEBOUNCE_MS)
  }

  /** A provider answered: announce when it is not the one announced last. */
  answeredWith (provider: string, model: string): void {
    const changed = this.provider?.provider !== provider || this.provider.model !== model
    this.provider = { provider, model }
    if (changed) void this.announce()
  }

  stop (): void {
    clearInterval(this.interval)
    clearTimeout(this.debounce)
  }
}
