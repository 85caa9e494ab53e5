/**
 * The network layer's conductor: owns the browser node, joins the agent through
 * the named stages, notices at once when the agent goes away, retries with
 * backoff, and sends chat (or queues it while offline, then flushes it).
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { isLoopback, isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { checkDialAddress } from '../../../mesh/address.ts'
import { fetchHistory } from '../../../mesh/history.ts'
import { transportOf } from '../../../mesh/transport.ts'
import { backoffDelay } from '../lib/backoff.ts'
import { fitsInChatMessage } from '../lib/chat-limit.ts'
import { dialCandidates } from '../lib/dial-candidates.ts'
import type { MeshStore } from '../store/index.ts'
import type { DialCandidate } from '../lib/dial-candidates.ts'
import type { AgentInfo } from './agent-info.ts'
import { AgentHistory } from './agent-history.ts'
import type { BrowserNode, LanPolicy } from './browser-node.ts'
import type { MeshController } from './controller.ts'
import { JoinError, joinAgent } from './dial-stages.ts'
import type { JoinTimeouts } from './dial-stages.ts'
import { bridgeNodeEvents } from './event-bridge.ts'
import { startHeartbeat } from './heartbeat.ts'
import { Publisher } from './publisher.ts'

export interface SessionDeps {
  /** `lan` is the session's own flag: the node's gater reads it at every dial. */
  createNode: (lan: LanPolicy) => Promise<BrowserNode>
  fetchAgentInfo: () => Promise<AgentInfo | undefined>
  backoff?: (attempt: number) => number
  timeouts?: JoinTimeouts
}

/** Longest a goodbye may hold up leaving: the node stops either way. */
const GOODBYE_TIMEOUT_MS = 1500

export class MeshSession implements MeshController {
  private node?: BrowserNode
  private publisher?: Publisher
  private bridge?: ReturnType<typeof bridgeNodeEvents>
  private stopHeartbeat?: () => void
  private history?: AgentHistory
  private agentPeerId?: string
  private readonly lan: LanPolicy = { allowLan: false }
  private retryTimer?: ReturnType<typeof setTimeout>
  private attempt = 0
  private joining = false
  private flushing = false

  constructor (private readonly store: MeshStore, private readonly deps: SessionDeps) {}

  async connect (address: string, options: { resume?: boolean } = {}): Promise<void> {
    const mode = options.resume === true ? 'resume' : 'first'
    const check = checkDialAddress(address, 'browser')
    if (!check.ok) {
      this.store.connection.beginConnect(address, '', mode)
      this.store.connection.stageFailed('dialing', check.reason)
      return
    }
    this.cancelRetry()
    this.agentPeerId = check.peerId
    this.store.connection.beginConnect(check.addr.toString(), check.peerId, mode)
    // The person asked for a LAN agent by pasting its address: let the gater allow the LAN
    // (read at dial time, so it holds for a node made earlier for another address).
    this.lan.allowLan = isPrivate(check.addr) && !isLoopback(check.addr)
    let node: BrowserNode
    try {
      node = await this.ensureNode()
    } catch (err) {
      // No node, no dial: say why instead of leaving the warp spinning (nobody awaits this promise).
      this.store.connection.stageFailed('dialing', `Could not start this tab's libp2p node: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    await this.join(node, mode)
  }

  /** False (and nothing is sent) for empty text or text over the chat limit: the composer says so first. */
  send (text: string): boolean {
    const trimmed = text.trim()
    if (trimmed === '' || !fitsInChatMessage(trimmed)) return false
    const synced = this.store.state.connection.phase === 'synced'
    // While the agent is away the message waits, visibly pending, and is flushed on reconnect.
    this.store.chat.composed(trimmed, synced ? { state: 'sending' } : { state: 'pending' })
    if (synced) void this.flush()
    return true
  }

  /** Only a message whose publish failed is tried again, and only if it can be sent at all. */
  resend (messageId: string): void {
    const message = this.store.state.messages.find(m => m.id === messageId)
    if (message?.delivery?.state !== 'failed' || !fitsInChatMessage(message.text)) return
    this.store.chat.setDelivery(messageId, { state: 'pending' })
    if (this.store.state.connection.phase === 'synced') void this.flush()
  }

  reconnectNow (): void {
    if (this.store.state.connection.phase !== 'offline') return
    this.cancelRetry()
    void this.retry()
  }

  /**
   * Leave for real: say goodbye (others drop us at once), then stop the node, so
   * nothing redials, nothing is received or stored, and the agent forgets us,
   * until the person joins again (with a fresh node, same identity).
   */
  async leave (): Promise<void> {
    this.cancelRetry()
    const wasSynced = this.store.state.connection.phase === 'synced'
    this.agentPeerId = undefined
    this.store.connection.reset()
    if (wasSynced && this.publisher != null) {
      await Promise.race([this.publisher.goodbye().catch(() => {}), new Promise(resolve => setTimeout(resolve, GOODBYE_TIMEOUT_MS))])
    }
    await this.stop()
    this.store.peers.disconnected()
  }

  /** Stop the node and everything that runs with it (leave, tests, page unload). */
  async stop (): Promise<void> {
    this.cancelRetry()
    this.stopHeartbeat?.()
    this.bridge?.unbind()
    this.history?.stop()
    const node = this.node
    this.node = undefined
    this.publisher = undefined
    this.bridge = undefined
    this.stopHeartbeat = undefined
    this.history = undefined
    await node?.stop()
  }

  private async ensureNode (): Promise<BrowserNode> {
    if (this.node != null) return this.node
    const node = await this.deps.createNode(this.lan)
    this.node = node
    this.publisher = new Publisher(node)
    this.store.peers.setSelf(node.peerId.toString(), 'llmesh browser (this tab)')
    this.bridge = bridgeNodeEvents(node, this.store, { peerDisconnected: id => { this.onPeerDisconnected(id) } })
    this.stopHeartbeat = startHeartbeat(node, this.store, this.publisher, () => this.store.state.connection.phase === 'synced')
    // One for the node's life, across rejoins: a message sent just before the agent went away is still watched for.
    this.history = new AgentHistory(this.store, { fetch: async () => await this.agentHistory(node) })
    return node
  }

  /** Try each candidate address in order of preference until one joins. */
  private async join (node: BrowserNode, mode: 'first' | 'resume' | 'retry'): Promise<boolean> {
    if (this.joining) return false
    this.joining = true
    const joinedAt = Date.now()
    try {
      const entered = this.store.state.connection.agentAddress
      const info = await this.deps.fetchAgentInfo()
      const known = [info?.address, ...(info?.addresses ?? []), ...this.knownAgentAddresses()].filter((a): a is string => a != null)
      const candidates = dialCandidates(entered, known)
      if (candidates.length === 0) {
        this.store.connection.stageFailed('dialing', 'No address of this agent can be dialed from a browser.')
        return false
      }
      const failures: string[] = []
      for (const candidate of candidates) {
        this.store.connection.beginConnect(entered, this.agentPeerId!, mode)
        try {
          const connection = await joinAgent(node, candidate, this.agentPeerId!, {
            active: (name, detail) => { this.store.connection.stageActive(name, detail) },
            done: (name, detail) => { this.store.connection.stageDone(name, detail) }
          }, this.deps.timeouts)
          this.onJoined(connection, candidate, joinedAt)
          return true
        } catch (err) {
          const joinError = err instanceof JoinError ? err : new JoinError('dialing', String(err))
          failures.push(joinError.message)
          if (candidate === candidates[candidates.length - 1]) {
            const earlier = failures.length > 1 ? ` (${failures.length - 1} other address${failures.length > 2 ? 'es' : ''} failed too)` : ''
            if (mode !== 'retry') this.store.connection.stageFailed(joinError.stage, joinError.message + earlier)
            else this.scheduleRetry(joinError.message)
          }
        }
      }
      return false
    } finally {
      this.joining = false
    }
  }

  private onJoined (connection: Connection, candidate: DialCandidate, joinedAt: number): void {
    this.attempt = 0
    const entered = this.store.state.connection.agentAddress
    const typed = (() => { try { return multiaddr(entered).toString() } catch { return entered } })()
    this.store.connection.synced(transportOf(connection.remoteAddr), candidate.address !== typed ? candidate.address : undefined)
    this.bridge?.refresh()
    void this.publisher?.presence().catch(() => {})
    // What was said while we were away, from the agent's memory.
    void this.history?.catchUp(joinedAt).catch(() => {})
    void this.flush()
  }

  private onPeerDisconnected (peerId: string): void {
    if (peerId !== this.agentPeerId || this.node == null) return
    if (this.node.getConnections().some(c => c.remotePeer.toString() === peerId)) return
    if (this.store.state.connection.phase !== 'synced') return
    this.store.connection.agentLost("Alien X's node closed the connection")
    this.store.peers.forgetReport(peerId)
    this.scheduleRetry()
  }

  private scheduleRetry (lastError?: string): void {
    this.cancelRetry()
    this.attempt += 1
    const delay = (this.deps.backoff ?? backoffDelay)(this.attempt)
    this.store.connection.retryScheduled(this.attempt, Date.now() + delay, lastError)
    this.retryTimer = setTimeout(() => { void this.retry() }, delay)
  }

  private async retry (): Promise<void> {
    this.retryTimer = undefined
    if (this.node == null || this.joining || this.store.state.connection.phase !== 'offline') return
    const joined = await this.join(this.node, 'retry')
    if (!joined && this.retryTimer == null && this.store.state.connection.phase === 'offline') this.scheduleRetry()
  }

  private cancelRetry (): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
  }

  /** Publish every pending or sending message of ours, oldest first. */
  private async flush (): Promise<void> {
    if (this.flushing || this.publisher == null) return
    this.flushing = true
    try {
      for (;;) {
        if (this.store.state.connection.phase !== 'synced') return
        const next = this.store.state.messages.find(m => m.own && (m.delivery?.state === 'pending' || m.delivery?.state === 'sending'))
        if (next == null) return
        this.store.chat.setDelivery(next.id, { state: 'sending' })
        try {
          const { seq, recipients } = await this.publisher.chat(next.text)
          if (seq == null) {
            this.store.chat.setDelivery(next.id, { state: 'failed', reason: 'gossipsub took it for a message it had already sent' })
          } else if (recipients.length === 0) {
            this.store.chat.setDelivery(next.id, { state: 'failed', reason: 'no peer received it (no open gossipsub stream)' })
          } else {
            this.store.chat.published(next.id, { seq, recipients: recipients.length, toAgent: recipients.includes(this.agentPeerId ?? '') })
            this.history?.track(next.id, seq)
            const self = this.store.state.selfId
            if (self != null) for (const peer of recipients) this.store.pulses.pulse([self, peer])
          }
        } catch (err) {
          this.store.chat.setDelivery(next.id, { state: 'failed', reason: (err as Error).message })
        }
      }
    } finally {
      this.flushing = false
    }
  }

  /** The agent's recent chat; fails while we are not joined (the watcher then asks again later). */
  private async agentHistory (node: BrowserNode): ReturnType<typeof fetchHistory> {
    if (this.agentPeerId == null || this.store.state.connection.phase !== 'synced') throw new Error('not joined to the agent')
    return await fetchHistory(node, peerIdFromString(this.agentPeerId))
  }

  private knownAgentAddresses (): string[] {
    const peer = this.agentPeerId != null ? this.store.state.peers.get(this.agentPeerId) : undefined
    return (peer?.addresses ?? []).map(a => a.includes('/p2p/') ? a : `${a}/p2p/${this.agentPeerId}`)
  }
}
