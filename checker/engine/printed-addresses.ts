/**
 * Find the multiaddrs a program printed. The contract is loose on purpose: a
 * multiaddr anywhere on a stdout line counts ("listening on /ip4/…" is fine).
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface PrintedAddress {
  addr: Multiaddr
  text: string
  /** The /p2p/ part, when printed. */
  peerId?: string
  /** A relayed address (`…/p2p-circuit/…`) is `other`: its TCP part is the relay's. */
  kind: 'tcp' | 'ws' | 'other'
  port?: number
}

const MULTIADDR_IN_TEXT = /\/(?:ip4|ip6|dns4|dns6|dns)\/[^\s'"`,;)\]}]+/g

export function addressesInLine (line: string): PrintedAddress[] {
  const found: PrintedAddress[] = []
  for (const match of line.matchAll(MULTIADDR_IN_TEXT)) {
    const text = match[0].replace(/[.:]+$/, '')
    try {
      found.push(describe(multiaddr(text), text))
    } catch {
      // Looks like an address but does not parse: ignore, like any other text.
    }
  }
  return found
}

function describe (addr: Multiaddr, text: string): PrintedAddress {
  const components = addr.getComponents()
  const peerId = components.findLast(c => c.name === 'p2p')?.value
  const tcp = components.find(c => c.name === 'tcp')?.value
  const isWs = components.some(c => c.name === 'ws' || c.name === 'wss')
  const relayed = components.some(c => c.name === 'p2p-circuit')
  const result: PrintedAddress = {
    addr,
    text,
    kind: tcp == null || relayed ? 'other' : isWs ? 'ws' : 'tcp'
  }
  if (peerId != null) result.peerId = peerId
  if (tcp != null && !relayed) result.port = Number(tcp)
  return result
}

/** The same address printed twice counts once. */
export function uniqueAddresses (addresses: PrintedAddress[]): PrintedAddress[] {
  const seen = new Set<string>()
  return addresses.filter(a => {
    if (seen.has(a.text)) return false
    seen.add(a.text)
    return true
  })
}

/** "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAbc…xyz" is easier to scan than the full line; a relayed address has two peer ids. */
export function shortAddress (text: string): string {
  return text.replace(/\/p2p\/(\w{8})\w+(\w{4})(?=\/|$)/g, '/p2p/$1…$2')
}

export function shortPeerId (peerId: string): string {
  return peerId.length > 16 ? `${peerId.slice(0, 8)}…${peerId.slice(-4)}` : peerId
}
