/**
 * The protocol inspector ("educational mode"): what each of our connections
 * negotiated, one line on each piece, and the lesson that teaches it.
 */
import { computed } from 'vue'
import type { AppContext } from '../app-context.ts'
import { useAppContext } from '../app-context.ts'
import { lessonFor } from '../lib/lesson-links.ts'
import type { LessonLink } from '../lib/lesson-links.ts'
import { TRANSPORT_EXPLANATIONS, explainProtocol } from '../lib/protocol-explanations.ts'
import type { Explanation } from '../lib/protocol-explanations.ts'
import { shortPeerId } from '../../../mesh/names.ts'

export interface InspectorRow {
  label: 'transport' | 'encryption' | 'muxer' | 'protocol'
  value: string
  explanation?: string
  lesson?: LessonLink
  /** A stream with this protocol is open right now. */
  active?: boolean
}

export interface InspectedConnection {
  id: string
  peer: string
  peerName: string
  remoteAddr: string
  direction: string
  limited: boolean
  rows: InspectorRow[]
}

export function useInspector (context: AppContext = useAppContext()) {
  const { store, lessons } = context
  const state = store.state

  const row = (label: InspectorRow['label'], value: string, explanation: Explanation | undefined, active?: boolean): InspectorRow => {
    const lesson = explanation != null ? lessonFor(explanation.topic, lessons.value) : undefined
    return {
      label,
      value,
      ...(explanation != null ? { explanation: explanation.text } : {}),
      ...(lesson != null ? { lesson } : {}),
      ...(active != null ? { active } : {})
    }
  }

  const connections = computed<InspectedConnection[]>(() => state.ownConnections.map(c => {
    const peer = state.peers.get(c.peer)
    const overWebRTC = c.transport === 'webrtc-direct' || c.transport === 'webrtc'
    const rows: InspectorRow[] = [
      row('transport', c.transport, TRANSPORT_EXPLANATIONS[c.transport]),
      overWebRTC
        // WebRTC encrypts natively (DTLS); libp2p reports "native" and runs Noise only to authenticate.
        ? row('encryption', 'DTLS + /noise', { text: 'WebRTC encrypts with DTLS; a Noise handshake inside proves both peer ids and binds them to the /certhash.', topic: 'security' })
        : row('encryption', c.encryption ?? 'unknown', explainProtocol(c.encryption ?? '')),
      row('muxer', c.muxer ?? (overWebRTC ? 'WebRTC data channels' : 'unknown'), explainProtocol(c.muxer ?? (overWebRTC ? '/webrtc' : '')))
    ]
    const protocols = new Set([...(peer?.protocols ?? []), ...c.streams])
    for (const protocol of [...protocols].sort()) rows.push(row('protocol', protocol, explainProtocol(protocol), c.streams.includes(protocol)))
    return {
      id: c.id,
      peer: c.peer,
      peerName: peer?.name ?? shortPeerId(c.peer),
      remoteAddr: c.remoteAddr,
      direction: c.direction,
      limited: c.limited,
      rows
    }
  }))

  return { connections }
}
