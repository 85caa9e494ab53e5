/**
 * Decides which chat messages the agent answers, and answers them through the
 * provider chain without letting one peer starve the others:
 * a token bucket per peer, a cap on LLM calls running at once with a bounded
 * queue, a reply timeout, and a small budget for talking to other agents.
 */
import { Queue } from '@libp2p/utils'
import { shortPeerId } from '../mesh/names.ts'
import { replyIdPrefix } from '../mesh/gossip.ts'
import type { PromptMessage } from './llm/types.ts'
import type { ChainAnswer } from './llm/chain.ts'
import type { ChatPublisher } from './chat-publisher.ts'
import type { ExtensionPublisher } from './extension-publisher.ts'
import type { Persona } from './persona.ts'
import { Conversations } from './conversations.ts'
import { AnswerGate, PeerRateLimiter } from './rate-limit.ts'
import { DropLog } from './drop-log.ts'
import { DirectOutbox } from './direct-outbox.ts'
import { ReplyStream } from './reply-stream.ts'
import { isAddressedTo, stripLeadingAddress } from './addressing.ts'

export interface IncomingChat {
  from: string
  /** Gossipsub sequence number: with `from`, names the message a reply answers. */
  sequenceNumber?: bigint
  text: string
  /** Where the question came from, and so where the answer goes. Default: the chat topic. */
  via?: 'chat' | 'direct'
  /** The peer that delivered it (gossipsub's propagation source); the author when it came directly. */
  connection?: string
}

export interface ResponderOptions {
  selfPeerId: string
  persona: Persona
  chain: { answer: (messages: PromptMessage[], options?: { signal?: AbortSignal }) => Promise<ChainAnswer> }
  chat: ChatPublisher
  extension: ExtensionPublisher
  /** Answer a direct message privately, by a direct message back. */
  sendDirect: (peer: string, text: string) => Promise<void>
  /** True when `peer` is connected, so a direct message to it needs no lookup or dial. */
  isConnected: (peer: string) => boolean
  /** People (not agents) among the agent's chat neighbours right now. */
  humansInChat: () => number
  /** True for peers known to be LLM agents (presence or identify). */
  isAgent: (peer: string) => boolean
  /** One paragraph about the mesh right now, appended to the system prompt. */
  meshSummary: () => string
  replyTimeoutMs: number
  maxConcurrentReplies: number
  rateBurst: number
  rateRefillSeconds: number
  contextTurns: number
  log: (line: string) => void
  onAnswered?: (provider: string, model: string) => void
}

/** Messages a single peer may have waiting or running at once. */
const MAX_PENDING_PER_PEER = 2
/** Answers to one other agent per window: agents never talk to each other forever. */
const AGENT_REPLY_BUDGET = 2
const AGENT_REPLY_WINDOW_MS = 10 * 60_000
/** Longest answer the agent publishes: about one chat message. */
const MAX_ANSWER_CHARS = 4000
/** Notices ("you are sending too fast", "many voices") the agent sends at most, whoever floods. */
const NOTICE_BURST = 2
const NOTICE_REFILL_SECONDS = 10

export class Responder {
  private readonly gate: AnswerGate
  private readonly notices = new PeerRateLimiter(NOTICE_BURST, NOTICE_REFILL_SECONDS)
  private readonly drops: DropLog
  private readonly outbox: DirectOutbox
  private readonly conversations: Conversations
  private readonly queue: Queue<void>
  private readonly pendingByPeer = new Map<string, number>()
  private readonly agentReplies = new Map<string, number[]>()
  private readonly shutdown = new AbortController()
  private replies = 0

  constructor (private readonly options: ResponderOptions) {
    this.gate = new AnswerGate({ authorBurst: options.rateBurst, authorRefillSeconds: options.rateRefillSeconds })
    this.drops = new DropLog(options.log)
    this.outbox = new DirectOutbox(options.sendDirect, options.log)
    this.conversations = new Conversations(options.contextTurns)
    this.queue = new Queue({ concurrency: options.maxConcurrentReplies, maxSize: 32 })
  }

  /** Number of answers started so far (LLM calls). */
  get answersStarted (): number {
    return this.replies
  }

  handle (message: IncomingChat): void {
    const { from, text, via = 'chat' } = message
    if (from === this.options.selfPeerId || this.shutdown.signal.aborted) return

    if (this.options.isAgent(from)) {
      if (!isAddressedTo(this.options.persona.name, text) || !this.takeAgentBudget(from)) return
    } else if (via === 'chat' && !this.meantForMe(text)) {
      return
    }

    const admission = this.gate.admit(from, message.connection)
    if (!admission.allowed) {
      this.drops.drop(admission.reason === 'connection' ? message.connection ?? from : from, `rate limit per ${admission.reason === 'overall' ? 'agent' : admission.reason}`)
      if (admission.tell != null) {
        const who = admission.reason === 'connection' ? 'the messages you pass on arrive' : 'you are sending'
        this.notify(admission.tell, `⏳ ${shortPeerId(admission.tell)}, ${admission.reason === 'overall' ? 'many voices are asking at once' : `${who} faster than I can think`}. I will listen again in about ${admission.retryAfterSeconds} s.`)
      }
      return
    }

    const pending = this.pendingByPeer.get(from) ?? 0
    if (pending >= MAX_PENDING_PER_PEER) {
      this.drops.drop(from, `${pending} answers already waiting`)
      return
    }
    this.pendingByPeer.set(from, pending + 1)
    this.queue.add(async () => { await this.answer(message) })
      .catch(err => {
        if ((err as Error).name === 'QueueFullError') {
          this.drops.drop(from, 'answer queue full')
          this.notify(from, `🌌 ${shortPeerId(from)}, many voices are asking at once. Please ask again in a moment.`)
        } else {
          this.options.log(`could not answer ${shortPeerId(from)}: ${(err as Error).message}`)
        }
      })
      .finally(() => {
        const left = (this.pendingByPeer.get(from) ?? 1) - 1
        if (left <= 0) this.pendingByPeer.delete(from)
        else this.pendingByPeer.set(from, left)
      })
  }

  /**
   * Manners: in a room with more than one person, people talk to each other too, and
   * the agent answers only what is meant for it — its name or @mention, its peer id's
   * short form (how the chat app shows it), or anything when it is alone with one person.
   * Direct messages are always meant for it.
   */
  private meantForMe (text: string): boolean {
    if (isAddressedTo(this.options.persona.name, text)) return true
    if (text.includes(shortPeerId(this.options.selfPeerId))) return true
    return this.options.humansInChat() <= 1
  }

  /**
   * A notice about a limit goes privately to the peer concerned, never to the whole
   * chat, and only to a peer connected to us: a throwaway key has nobody to tell.
   * Notices have a budget of their own, so a flood never turns into a flood of notices.
   */
  private notify (peer: string, text: string): void {
    if (!this.options.isConnected(peer) || !this.notices.take('*').allowed) return
    void this.deliver('direct', peer, text)
  }

  /** Abort every running answer and drop the queue. */
  stop (): void {
    this.drops.stop()
    this.outbox.stop()
    this.shutdown.abort()
    this.queue.abort()
  }

  private async answer ({ from, sequenceNumber, text, via = 'chat' }: IncomingChat): Promise<void> {
    if (this.shutdown.signal.aborted) return
    this.replies++
    // One controller per answer, tied to shutdown: aborting it closes the provider's request.
    const controller = new AbortController()
    const stopWithShutdown = (): void => { controller.abort() }
    this.shutdown.signal.addEventListener('abort', stopWithShutdown, { once: true })
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const messages: PromptMessage[] = [
        { role: 'system', content: `${this.options.persona.systemPrompt}\n\n${this.options.meshSummary()}` },
        ...this.conversations.history(from),
        { role: 'user', content: text }
      ]

      // Waiting for a first token is bounded by the chain, per provider, so a hung model
      // still leaves the offline persona its turn; the reply timeout starts at the first token.
      let answer: ChainAnswer
      try {
        answer = await this.options.chain.answer(messages, { signal: controller.signal })
      } catch (err) {
        if (this.shutdown.signal.aborted) return
        this.options.log(`no provider could answer ${shortPeerId(from)}: ${(err as Error).message}`)
        // The reasons name hosts and configuration: they stay in the log.
        await this.deliver(via, from, '🛸 My model is unavailable right now. Please try again later.')
        return
      }
      let timedOut = false
      timer = setTimeout(() => { timedOut = true; controller.abort() }, this.options.replyTimeoutMs)
      this.options.log(`answering ${shortPeerId(from)} with ${answer.provider} (${answer.model})`)
      this.options.onAnswered?.(answer.provider, answer.model)

      // A direct question gets a private answer: no chunks on the public extension topic.
      const stream = via === 'chat'
        ? new ReplyStream(this.options.extension, {
          replyId: `${replyIdPrefix(this.options.selfPeerId)}${Date.now().toString(36)}-${this.replies}`,
          ...(sequenceNumber != null ? { inReplyTo: { from, seq: sequenceNumber.toString() } } : {}),
          provider: answer.provider,
          model: answer.model
        })
        : undefined
      let fullText = ''
      /** What went wrong, for the log; `publicFailure` is what the mesh hears about it. */
      let failure: string | undefined
      let publicFailure: string | undefined
      try {
        for await (const delta of answer.deltas) {
          fullText += delta
          stream?.push(delta)
          // A model stuck in a loop must not flood the mesh; leaving the loop closes its request.
          if (fullText.length >= MAX_ANSWER_CHARS) {
            failure = `the answer passed ${MAX_ANSWER_CHARS} characters and was trimmed`
            publicFailure = failure
            break
          }
        }
      } catch (err) {
        failure = (err as Error).message
        publicFailure = 'my model stopped before the answer was finished'
      }
      if (this.shutdown.signal.aborted) return
      // The chain ends quietly on abort; here only the timeout can have aborted it.
      if (timedOut) {
        failure = `the answer took longer than ${Math.round(this.options.replyTimeoutMs / 1000)} s`
        publicFailure = `my model stopped: ${failure}`
      }
      await stream?.finish(publicFailure)

      let reply = fullText.trim()
      if (this.options.isAgent(from)) reply = stripLeadingAddress(this.options.persona.name, reply)
      if (failure != null) {
        this.options.log(`answer to ${shortPeerId(from)} cut short: ${failure}`)
        reply = `${reply}${reply === '' ? '' : '\n'}⚠️ (${publicFailure ?? 'my model stopped'})`
      }
      if (reply === '') reply = '🛸 …(the stars were silent: the model returned an empty answer)'
      await this.deliver(via, from, reply)
      this.conversations.add(from, { role: 'user', content: text })
      this.conversations.add(from, { role: 'assistant', content: fullText })
    } finally {
      clearTimeout(timer)
      this.shutdown.signal.removeEventListener('abort', stopWithShutdown)
    }
  }

  private takeAgentBudget (peer: string): boolean {
    const now = Date.now()
    const recent = (this.agentReplies.get(peer) ?? []).filter(t => now - t < AGENT_REPLY_WINDOW_MS)
    if (recent.length >= AGENT_REPLY_BUDGET) {
      this.options.log(`not answering agent ${shortPeerId(peer)} again: ${AGENT_REPLY_BUDGET} answers in the last ${AGENT_REPLY_WINDOW_MS / 60_000} minutes`)
      return false
    }
    recent.push(now)
    this.agentReplies.set(peer, recent)
    return true
  }

  /**
   * Direct messages go through the outbox and are not awaited: waiting for a peer's
   * acknowledgement must never hold a model slot.
   */
  private async deliver (via: 'chat' | 'direct', peer: string, text: string): Promise<void> {
    if (via === 'direct') {
      if (!this.outbox.post(peer, text)) this.drops.drop(peer, 'direct messages to it still waiting')
      return
    }
    try {
      await this.options.chat.say(text)
    } catch (err) {
      this.options.log(`could not send the answer to ${shortPeerId(peer)} by chat: ${(err as Error).message}`)
    }
  }
}
