/**
 * Alien X, the reference agent: a Node libp2p peer that relays for browsers,
 * serves the DHT on the LAN, and answers the chat with an LLM.
 *
 * libp2p events flow one way: into the greeter, the responder and the
 * presence/topology publishers. Nothing here knows about terminals or HTTP;
 * agent/main.ts is the command-line face.
 */
import { chmod, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { keychain } from '@libp2p/keychain'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { parseExtensionMessage } from '../mesh/extension.ts'
import { decodeChatText, hubGossipOptions, installTopicValidators } from '../mesh/gossip.ts'
import { loadOrCreateIdentity } from '../mesh/identity.ts'
import { nodePeerOptions } from '../mesh/node-options.ts'
import { CHAT_TOPIC, LLMESH_TOPIC, llmeshAgentVersion, roleFromAgentVersion } from '../mesh/protocol.ts'
import { handleDirectMessages, sendDirectMessage } from '../mesh/direct-message.ts'
import { RecentChat, serveHistory } from '../mesh/history.ts'
import { outboundGossipStream } from '../mesh/gossip-stream.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { transportOf } from '../mesh/transport.ts'
import { defaultConfig } from './config.ts'
import type { AgentConfig } from './config.ts'
import { BootstrapDialer } from './bootstrap.ts'
import { DiscoveryDialer } from './discovery-dialer.ts'
import { PrivateFsDatastore } from './private-datastore.ts'
import { ChatPublisher } from './chat-publisher.ts'
import { ExtensionPublisher } from './extension-publisher.ts'
import { Greeter } from './greeter.ts'
import { createProviderChain, redactCredentials } from './llm/index.ts'
import type { MeshFacts, ProviderChain } from './llm/index.ts'
import { loadPersona } from './persona.ts'
import { Responder } from './responder.ts'
import { humansInChat, meshFacts, meshSummary } from './mesh-facts.ts'
import { PeerDirectory } from './peer-directory.ts'
import { PresenceAnnouncer } from './presence-announcer.ts'
import { TopologyPublisher } from './topology-publisher.ts'

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
  const rawLog = options.log ?? (() => {})
  // Log lines name model hosts, and a host URL may carry a password.
  const log = (line: string): void => { rawLog(redactCredentials(line)) }
  const persona = await loadPersona(config.personaFile)
  const { privateKey, created } = await loadOrCreateIdentity(config.keyFile)
  const dataDir = config.dataDir ?? join(dirname(config.keyFile), 'agent-data')
  // The WebRTC certificate's private key lives here: owner only, like the identity key.
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await chmod(dataDir, 0o700)

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
    datastore: new PrivateFsDatastore(dataDir),
    services: { ...base.services, keychain: keychain() }
  })
  const selfId = node.peerId.toString()
  const pubsub = node.services.pubsub

  const directory = new PeerDirectory()
  // The recent chat, signed as received, for peers that join late (mesh/history.ts).
  const recentChat = new RecentChat()
  const chat = new ChatPublisher(pubsub)
  const extension = new ExtensionPublisher(pubsub, log)
  const facts = (): MeshFacts => meshFacts(node, directory, persona.name)
  const chain = createProviderChain(config.llm, facts, log)
  const presence = new PresenceAnnouncer({ extension, name: persona.name, persona: persona.systemPrompt, chain: describeChain(chain), intervalMs: config.presenceIntervalMs })
  const topology = new TopologyPublisher(node, extension, config.topologyIntervalMs)
  const isConnected = (peer: string): boolean => node.getConnections().some(c => c.remotePeer.toString() === peer)
  const greeter = new Greeter({
    chat,
    agentName: persona.name,
    log,
    canReach: peer => outboundGossipStream(node, peer) != null,
    isConnected,
    // Other agents must know a greeting comes from an agent before it arrives, and the
    // greeted peer's stream is open now: an announcement made on its subscription may have
    // gone out before it was, so the presence goes with every greeting (once per peer).
    beforeGreeting: async () => { await presence.announce() }
  })
  const responder = new Responder({
    selfPeerId: selfId,
    persona,
    chain,
    chat,
    extension,
    sendDirect: async (peer, text) => { await sendDirectMessage(node, peerIdFromString(peer), text, llmeshAgentVersion('agent', 'node')) },
    isAgent: peer => directory.isAgent(peer),
    isConnected,
    humansInChat: () => humansInChat(node, directory),
    meshSummary: () => meshSummary(facts()),
    replyTimeoutMs: config.replyTimeoutMs,
    maxConcurrentReplies: config.maxConcurrentReplies,
    rateBurst: config.rateBurst,
    rateRefillSeconds: config.rateRefillSeconds,
    contextTurns: config.contextTurns,
    log,
    onAnswered: (provider, model) => { presence.answeredWith(provider, model) }
  })

  // Inbound gossip: chat goes to the responder, extension messages teach us who the agents are.
  pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg: message, propagationSource } = event.detail as { msg: Message, propagationSource: { toString: () => string } }
    // StrictSign peers never deliver unsigned messages; the check keeps TypeScript and readers sure of it.
    if (message.type !== 'signed') return
    if (message.topic === CHAT_TOPIC) recentChat.add(message)
    const from = message.from.toString()
    if (from === selfId) return
    if (message.topic === CHAT_TOPIC) {
      const text = decodeChatText(message.data)
      if (text != null) responder.handle({ from, sequenceNumber: message.sequenceNumber, text, connection: propagationSource.toString() })
    } else if (message.topic === LLMESH_TOPIC) {
      const ext = parseExtensionMessage(message.data)
      if (ext?.type === 'presence') directory.announced(from, ext)
    }
  })

  pubsub.addEventListener('subscription-change', (event) => {
    const peer = event.detail.peerId.toString()
    for (const { topic, subscribe } of event.detail.subscriptions) {
      if (!subscribe) continue
      if (topic === CHAT_TOPIC) void greeter.greet(peer)
      if (topic === LLMESH_TOPIC) presence.soon()
    }
  })

  node.addEventListener('peer:identify', (event) => {
    directory.identified(event.detail.peerId.toString(), roleFromAgentVersion(event.detail.agentVersion))
  })

  // mDNS and pubsub discovery only report peers: dialing them is ours to do, within bounds.
  const discoveryDialer = new DiscoveryDialer(node)
  node.addEventListener('peer:discovery', (event) => { discoveryDialer.discovered(event.detail.id, event.detail.multiaddrs) })

  await handleDirectMessages(node, llmeshAgentVersion('agent', 'node'), (from, text) => {
    responder.handle({ from: from.toString(), text, via: 'direct' })
  })

  await serveHistory(node, recentChat)

  installTopicValidators(pubsub)
  pubsub.subscribe(CHAT_TOPIC)
  pubsub.subscribe(LLMESH_TOPIC)

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
        presence.stop()
        topology.stop()
        bootstrap.stop()
        discoveryDialer.stop()
        responder.stop()
        await node.stop()
      })()
      await stopping
    }
  }
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

