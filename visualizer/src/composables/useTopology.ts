/**
 * The mesh picture: nodes and edges from our connections plus every topology
 * report, the pulses in flight, and the peer under the pointer or selected.
 */
import { computed, ref } from 'vue'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'
import { deriveGraph } from '../store/graph.ts'
import type { PeerInfo, TransportName } from '../store/types.ts'
import { shortPeerId } from '../../../mesh/names.ts'

export interface PeerDetails {
  peer: PeerInfo
  /** How this peer is connected to others in the picture. */
  links: Array<{ other: string, otherName: string, transport: TransportName, limited: boolean, gossipMesh: boolean }>
  isSelf: boolean
}

export function useTopology (context: AppContext = useAppContext()) {
  const state = context.store.state
  const graph = computed(() => deriveGraph(state))
  const hoveredId = ref<string>()
  const selectedId = ref<string>()

  const details = computed<PeerDetails | undefined>(() => {
    const id = hoveredId.value ?? selectedId.value
    if (id == null) return undefined
    const peer = state.peers.get(id)
    if (peer == null) return undefined
    const links = graph.value.links
      .filter(l => l.source === id || l.target === id)
      .map(l => {
        const other = l.source === id ? l.target : l.source
        return { other, otherName: state.peers.get(other)?.name ?? shortPeerId(other), transport: l.transport, limited: l.limited, gossipMesh: l.gossipMesh }
      })
    return { peer, links, isSelf: id === state.selfId }
  })

  return {
    graph,
    pulses: computed(() => state.pulses),
    selfId: computed(() => state.selfId),
    hoveredId,
    selectedId,
    details,
    select: (id: string | undefined) => { selectedId.value = selectedId.value === id ? undefined : id },
    hover: (id: string | undefined) => { hoveredId.value = id }
  }
}
