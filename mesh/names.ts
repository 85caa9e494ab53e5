/** A short, readable handle for a peer id: its last six characters. */
export function shortPeerId (peerId: string): string {
  return peerId.length <= 6 ? peerId : `…${peerId.slice(-6)}`
}
