/**
 * Which of the agent's addresses to try, in order. WebRTC-direct is preferred
 * when the agent offers it (no TLS certificate needed, works from https pages);
 * WebSockets is the fallback. Only addresses of the same peer are considered.
 */
import { checkDialAddress } from '../../../mesh/address.ts'
import type { TransportName } from '../../../mesh/transport.ts'

const PREFERENCE: TransportName[] = ['webrtc-direct', 'ws', 'wss', 'webrtc', 'relay']

export interface DialCandidate {
  address: string
  transport: TransportName
}

export function dialCandidates (entered: string, known: string[]): DialCandidate[] {
  const first = checkDialAddress(entered, 'browser')
  if (!first.ok) return []
  const seen = new Set<string>()
  const candidates: Array<DialCandidate & { order: number }> = []
  const consider = (address: string, order: number): void => {
    const check = checkDialAddress(address, 'browser')
    if (!check.ok || check.peerId !== first.peerId) return
    const text = check.addr.toString()
    if (seen.has(text)) return
    seen.add(text)
    candidates.push({ address: text, transport: check.transport, order })
  }
  consider(entered, 0)
  known.forEach((address, i) => { consider(address, i + 1) })
  const rank = (c: DialCandidate) => {
    const index = PREFERENCE.indexOf(c.transport)
    return index === -1 ? PREFERENCE.length : index
  }
  // Same host as the address the person gave beats another interface of the agent.
  const enteredHost = hostOf(first.addr.toString())
  return candidates
    .sort((a, b) => rank(a) - rank(b) ||
      Number(hostOf(b.address) === enteredHost) - Number(hostOf(a.address) === enteredHost) ||
      a.order - b.order)
    .map(({ address, transport }) => ({ address, transport }))
}

function hostOf (address: string): string {
  return address.split('/').slice(1, 3).join('/')
}
