/**
 * Names for peers: the same short handle the agent uses when it talks about the
 * mesh (`…x7Fq2a`, from mesh/names.ts), so what Alien X says and what the
 * picture shows match.
 */
import { shortPeerId } from '../../../mesh/names.ts'

export function nameForPeer (peerId: string): string {
  return shortPeerId(peerId)
}

export function hashString (text: string): number {
  // FNV-1a: tiny, fast and well spread for short ids.
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
