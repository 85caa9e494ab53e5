/**
 * The one typed store: plain reactive state. Only store actions write to it.
 */
import { reactive } from 'vue'
import { STAGES } from './types.ts'
import type { ChatMessage, ConnectionState, NegotiatedConnection, PeerInfo, Pulse, StageState, TopologyView } from './types.ts'

export interface MeshState {
  selfId?: string
  connection: ConnectionState
  peers: Map<string, PeerInfo>
  /** Our own connections, as libp2p reports them. */
  ownConnections: NegotiatedConnection[]
  /** Peers in our gossipsub mesh for the chat topic. */
  ownMeshPeers: string[]
  /** The latest topology report from each peer that sends them (the agent, other browsers). */
  reports: Map<string, TopologyView>
  /**
   * Peers that left (a goodbye) or went quiet (their reports stopped), with when:
   * not drawn, even where someone else's older report still lists them, until
   * they are heard from again.
   */
  departed: Map<string, number>
  messages: ChatMessage[]
  pulses: Pulse[]
  /** True in the `?demo=N` performance harness: fake peers, no network. */
  demo: boolean
}

export function freshStages (): StageState[] {
  return STAGES.map(name => ({ name, status: 'waiting' as const }))
}

export function createState (): MeshState {
  return reactive<MeshState>({
    connection: { phase: 'welcome', agentAddress: '', stages: freshStages() },
    peers: new Map(),
    ownConnections: [],
    ownMeshPeers: [],
    reports: new Map(),
    departed: new Map(),
    messages: [],
    pulses: [],
    demo: false
  }) as MeshState
}
