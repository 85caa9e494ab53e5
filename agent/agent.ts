/**
 * Alien X, the reference agent: a Node libp2p peer that relays for browsers,
 * serves the DHT on the LAN, and answers the chat with an LLM.
 *
 * libp2p events flow one way: into the greeter, the responder and the
 * presence/topology publishers. Nothing here knows about terminals or HTTP;
 * agent/main.ts is the command-line face.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { keychain } from '@libp2p/keychain'
import { FsDatastore } from 'datastore-fs'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { parseExtensionMessage } from '../mesh/extension.ts'
import { decodeChatText, hubGossipOptions, installTopicValidators } from '../mesh/gossip.ts'
import { loadOrCreateIdentity } from '../mesh/identity.ts'
import { shortPeerId } from '../mesh/names.ts'
import { nodePeerOptions } from '../mesh/node-options.ts'
import { CHAT_TOPIC, LLMESH_TOPIC, LLMESH_VERSION, llmeshAgentVersion, roleFromAgentVersion } from '../mesh/protocol.ts'
import { handleDirectMessages, sendDirectMessage } from '../mesh/direct-message.ts'
import { RecentChat, serveHistory } from '../mesh/history.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { transportOf } from '../mesh/transport.ts'
import { defaultConfig } from './config.ts'
import type { AgentConfig } from './config.ts'
import { BootstrapDialer } from './bootstrap.ts'
import { ChatPublisher } from './chat-publisher.ts'
import { ExtensionPublisher } from './extension-publisher.ts'
import { Greeter } from './greeter.ts'
import { createProviderChain } from './llm/index.ts'
import type { MeshFacts, ProviderChain } from './llm/index.ts'
import { loadPersona } from './persona.ts'
import { Responder } from './responder.ts'
import { buildTopologyReport } from './topology.ts'

export interface AgentAddresses {
  tcp: string[]
  ws: string[]
  webrtcDirect: string[]
}

export interface RunningAgent {
  node: Libp2p<any>
  peerId: string
  name: string
  addresses: AgentAddresses
  /** The address a browser should dial: WebRTC-direct when offered, else WebSockets. */
  browserAddress: string
  /** True when this start created the identity key file. */
  createdIdentity: boolean
  /** The provider chain, e.g. "ollama (llama3.2) → offline persona". */
  llm: string
  /** LLM answers started so far. */
  answersStarted: () => number
  stop: () => Promise<void>
}

export interface StartAgentOptions extends Partial<Omit<AgentConfig, 'llm'>> {
  llm?: AgentConfig['llm']
  /** Where log lines go; default: nowhere (main.ts prints them). */
  log?: (line: string) => void
}

export async function startAgent (options: StartAgentOptions = {}): Promise<RunningAgent> {
  const config: AgentConfig = { ...defaultConfig(), ...options, llm: { ...options.llm } }
  const log = options.log ?? (() => {})
  const persona = await loadPersona(config.personaFile)
  const { privateKey, created } = await loadOrCreateIdentity(config.keyFile)
  const dataDir = config.dataDir ?? join(dirname(config.keyFile), 'agent-data')
  await mkdir(dataDir, { recursive: true })

  const base = nodePeerOptions({
    role: 'agent',
    privateKey,
    relayServer: true,
    dht: true,
    mdns: config.mdns,
    pubsubDiscovery: true,
    listen: listenAddresses(config),
    // The agent's own chat goes into the history it serves, so it hears itself too.
    gossip: { ...hubGossipOptions(), emitSelf: true }
  })
  const node = await createLibp2p({
    ...base,
    // A datastore on disk keeps the WebRTC-direct certificate (and so its /certhash) across restarts.
    datastore: new FsDatastore(dataDir),
    services: { ...base.services, keychain: keychain() }
  })
  const selfId = node.peerId.toString()
  const pubsub = node.services.pubsub

  const agents = new Set<string>()
  const agentNames = new Map<string, string>()
  const peerRoles = new Map<string, string>()
  let lastProvider: { provider: string, model: string } | undefined

  // The recent chat, signed as received, for peers that join late (mesh/history.ts).
  const recentChat = new RecentChat()
  const chat = new ChatPublisher(pubsub)
  const extension = new ExtensionPublisher(pubsub, log)
  const greeter = new Greeter({
    chat,
    agentName: persona.name,
    log,
    canReach: peer => gossipStreamOpen(pubsub, peer),
    isConnected: peer => node.getConnections().some(c => c.remotePeer.toString() === peer),
    beforeGreeting: async () => { await announcePresenceAtMostEvery(2000) }
  })

  const meshFacts = (): MeshFacts => {
    const byPeer = new Map<string, { transports: Set<string>, rttMs?: number }>()
    for (const connection of node.getConnections()) {
      const peer = connection.remotePeer.toString()
      const entry = byPeer.get(peer) ?? { transports: new Set<string>() }
      entry.transports.add(transportOf(connection.remoteAddr))
      if (connection.rtt != null) entry.rttMs = Math.round(connection.rtt)
      byPeer.set(peer, entry)
    }
    return {
      agentName: persona.name,
      selfPeerId: selfId,
      peers: [...byPeer].map(([peerId, entry]) => ({
        peerId,
        ...(agentNames.has(peerId) ? { name: agentNames.get(peerId) } : {}),
        role: agents.has(peerId) ? 'agent' : peerRoles.get(peerId),
        transports: [...entry.transports],
        ...(entry.rttMs != null ? { rttMs: entry.rttMs } : {})
      })),
      chatSubscribers: pubsub.getSubscribers(CHAT_TOPIC).length
    }
  }

  const chain = createProviderChain(config.llm, meshFacts, log)
  const responder = new Responder({
    selfPeerId: selfId,
    persona,
    chain,
    chat,
    extension,
    sendDirect: async (peer, text) => { await sendDirectMessage(node, peerIdFromString(peer), text, llmeshAgentVersion('agent', 'node')) },
    isAgent: peer => agents.has(peer),
    meshSummary: () => {
      const facts = meshFacts()
      const peers = facts.peers.map(p => `${p.name ?? shortPeerId(p.peerId)} (${p.role ?? 'peer'} via ${p.transports.join('+')})`).join(', ')
      return `Mesh right now: you are ${persona.name} (${shortPeerId(selfId)}); ${facts.chatSubscribers} peers subscribe to the chat; connected: ${peers === '' ? 'nobody' : peers}.`
    },
    replyTimeoutMs: config.replyTimeoutMs,
    maxConcurrentReplies: config.maxConcurrentReplies,
    rateBurst: config.rateBurst,
    rateRefillSeconds: config.rateRefillSeconds,
    contextTurns: config.contextTurns,
    log,
    onAnswered: (provider, model) => {
      const changed = lastProvider?.provider !== provider || lastProvider.model !== model
      lastProvider = { provider, model }
      if (changed) void announcePresence()
    }
  })

  let lastPresenceAt = 0
  const announcePresence = async (): Promise<void> => {
    lastPresenceAt = Date.now()
    await extension.send({
      type: 'presence',
      role: 'agent',
      name: persona.name,
      persona: persona.systemPrompt.slice(0, 200),
      provider: lastProvider?.provider ?? describeChain(chain),
      ...(lastProvider != null ? { model: lastProvider.model } : {}),
      version: LLMESH_VERSION
    })
  }
  const announcePresenceAtMostEvery = async (ms: number): Promise<void> => {
    if (Date.now() - lastPresenceAt >= ms) await announcePresence()
  }
  const publishTopology = async (): Promise<void> => {
    await extension.send(await buildTopologyReport(node))
  }

  // Inbound gossip: chat goes to the responder, extension messages teach us who the agents are.
  pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
    const message = event.detail
    // StrictSign peers never deliver unsigned messages; the check keeps TypeScript and readers sure of it.
    if (message.type !== 'signed') return
    if (message.topic === CHAT_TOPIC) recentChat.add(message)
    const from = message.from.toString()
    if (from === selfId) return
    if (message.topic === CHAT_TOPIC) {
      const text = decodeChatText(message.data)
      if (text != null) responder.handle({ from, sequenceNumber: message.sequenceNumber, text })
    } else if (message.topic === LLMESH_TOPIC) {
      const ext = parseExtensionMessage(message.data)
      if (ext?.type === 'presence' && ext.role === 'agent') {
        agents.add(from)
        agentNames.set(from, ext.name)
      }
    }
  })

  pubsub.addEventListener('subscription-change', (event) => {
    const peer = event.detail.peerId.toString()
    for (const { topic, subscribe } of event.detail.subscriptions) {
      if (!subscribe) continue
      if (topic === CHAT_TOPIC) void greeter.greet(peer)
      if (topic === LLMESH_TOPIC) schedulePresence()
    }
  })

  node.addEventListener('peer:identify', (event) => {
    const peer = event.detail.peerId.toString()
    const role = roleFromAgentVersion(event.detail.agentVersion)
    if (role != null) peerRoles.set(peer, role)
    if (role === 'agent') agents.add(peer)
  })

  // mDNS and pubsub discovery only report peers: dialing them is ours to do.
  node.addEventListener('peer:discovery', (event) => {
    const { id, multiaddrs } = event.detail
    if (id.equals(node.peerId) || node.getConnections(id).length > 0) return
    if (!multiaddrs.some(addr => !addr.toString().includes('/p2p-circuit'))) return
    node.dial(id, { signal: AbortSignal.timeout(10_000) }).catch(() => {})
  })

  let topologyDebounce: ReturnType<typeof setTimeout> | undefined
  const scheduleTopology = (): void => {
    clearTimeout(topologyDebounce)
    topologyDebounce = setTimeout(() => { void publishTopology() }, 300)
  }
  let presenceDebounce: ReturnType<typeof setTimeout> | undefined
  const schedulePresence = (): void => {
    clearTimeout(presenceDebounce)
    presenceDebounce = setTimeout(() => { void announcePresence() }, 200)
  }
  node.addEventListener('connection:open', scheduleTopology)
  node.addEventListener('connection:close', scheduleTopology)
  pubsub.addEventListener('gossipsub:graft', scheduleTopology)
  pubsub.addEventListener('gossipsub:prune', scheduleTopology)

  await handleDirectMessages(node, llmeshAgentVersion('agent', 'node'), (from, text) => {
    responder.handle({ from: from.toString(), text, via: 'direct' })
  })

  await serveHistory(node, recentChat)

  installTopicValidators(pubsub)
  pubsub.subscribe(CHAT_TOPIC)
  pubsub.subscribe(LLMESH_TOPIC)

  const timers = [
    setInterval(() => { void publishTopology() }, config.topologyIntervalMs),
    setInterval(() => { void announcePresence() }, config.presenceIntervalMs)
  ]

  const bootstrap = new BootstrapDialer(node, config.bootstrap, { log })
  bootstrap.start()

  const addresses = groupAddresses(node.getMultiaddrs().map(String))
  log(`${persona.name} is ${selfId}; LLM chain: ${describeChain(chain)}`)

  let stopping: Promise<void> | undefined
  return {
    node,
    peerId: selfId,
    name: persona.name,
    addresses,
    browserAddress: addresses.webrtcDirect[0] ?? addresses.ws[0] ?? addresses.tcp[0] ?? '',
    createdIdentity: created,
    llm: describeChain(chain),
    answersStarted: () => responder.answersStarted,
    stop: async () => {
      stopping ??= (async () => {
        for (const timer of timers) clearInterval(timer)
        clearTimeout(topologyDebounce)
        clearTimeout(presenceDebounce)
        bootstrap.stop()
        responder.stop()
        await node.stop()
      })()
      await stopping
    }
  }
}

/**
 * Whether gossipsub has its outbound stream to `peer` open, i.e. whether a message
 * published now reaches it. Gossipsub has no public API for this; its implementation
 * exposes the map. If a future version hides it, we assume the stream is open.
 */
function gossipStreamOpen (pubsub: unknown, peer: string): boolean {
  const streams = (pubsub as { streamsOutbound?: Map<string, unknown> }).streamsOutbound
  return streams?.has(peer) ?? true
}

function listenAddresses (config: AgentConfig): string[] {
  const ip = config.host.includes(':') ? `ip6/${config.host}` : `ip4/${config.host}`
  return [
    `/${ip}/tcp/${config.tcpPort}`,
    `/${ip}/tcp/${config.wsPort}/ws`,
    ...(config.webrtc ? [`/${ip}/udp/${config.webrtcPort}/webrtc-direct`] : [])
  ]
}

export function groupAddresses (addrs: string[]): AgentAddresses {
  const groups: AgentAddresses = { tcp: [], ws: [], webrtcDirect: [] }
  for (const addr of addrs) {
    const transport = transportOf(addr)
    if (transport === 'webrtc-direct') groups.webrtcDirect.push(addr)
    else if (transport === 'ws' || transport === 'wss') groups.ws.push(addr)
    else if (transport === 'tcp') groups.tcp.push(addr)
  }
  return groups
}

/** e.g. "ollama (llama3.2) → offline persona" */
function describeChain (chain: ProviderChain): string {
  return chain.providers.map(p => (p.name === 'offline' ? 'offline persona' : `${p.name} (${p.model})`)).join(' → ')
}

