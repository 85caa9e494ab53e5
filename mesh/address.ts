/**
 * Check a multiaddr a person typed before anything is dialed, and say in one
 * line what to paste instead when it cannot work.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { isLoopback, isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import { transportOf } from './transport.ts'
import type { TransportName } from './transport.ts'

export type AddressCheck =
  | { ok: true, addr: Multiaddr, peerId: string, transport: TransportName }
  | { ok: false, reason: string }

/** Where the address will be dialed from: browsers cannot open raw TCP sockets. */
export type DialContext = 'node' | 'browser'

export function checkDialAddress (input: string, context: DialContext): AddressCheck {
  const text = input.trim()
  if (text === '') return { ok: false, reason: 'The address is empty: paste the multiaddr the agent printed, e.g. /ip4/127.0.0.1/tcp/9092/ws/p2p/12D3Koo…' }
  if (!text.startsWith('/')) return { ok: false, reason: `"${abbreviate(text)}" is not a multiaddr: it must start with "/", e.g. /ip4/127.0.0.1/tcp/9092/ws/p2p/12D3Koo…` }

  let addr: Multiaddr
  try {
    addr = multiaddr(text)
  } catch (err) {
    return { ok: false, reason: `"${abbreviate(text)}" is not a valid multiaddr (${(err as Error).message}); copy the whole line from the agent's banner.` }
  }

  const peerId = addr.getComponents().findLast(c => c.name === 'p2p')?.value
  if (peerId == null) return { ok: false, reason: 'The address has no /p2p/<peer id> at the end, so the remote cannot be authenticated: copy the full address from the agent\'s banner.' }
  try {
    peerIdFromString(peerId)
  } catch {
    return { ok: false, reason: `"${abbreviate(peerId)}" after /p2p/ is not a valid peer id (it should look like 12D3KooW…, as the banner prints it): copy the full address from the agent's banner.` }
  }

  const transport = transportOf(addr)
  if (context === 'browser') {
    if (transport === 'tcp') return { ok: false, reason: 'Browsers cannot dial raw TCP: use the agent\'s /ws or /webrtc-direct address instead.' }
    if (transport === 'wss' && isLocalAddress(addr)) return { ok: false, reason: 'This is a /tls/ws (secure WebSocket) address, but a local agent only speaks plain /ws: use the /ws address from the banner.' }
    if (transport === 'other') return { ok: false, reason: 'Browsers can dial /ws, /wss, /webrtc-direct (with /certhash) or /p2p-circuit addresses: use the /ws or /webrtc-direct address from the agent\'s banner.' }
    if (transport === 'webrtc-direct' && !addr.getComponents().some(c => c.name === 'certhash')) return { ok: false, reason: 'A /webrtc-direct address needs its /certhash/… part: copy the whole address from the agent\'s banner.' }
  }
  return { ok: true, addr, peerId, transport }
}

/**
 * Loopback, a private network (10/8, 172.16/12, 192.168/16, link-local, IPv6
 * ULA) or the name `localhost`: an address that only this machine or its LAN can
 * reach. `@libp2p/utils` decides for IP addresses, as it does for the browser's
 * gater and gossipsub's scoring.
 */
export function isLocalAddress (addr: Multiaddr): boolean {
  const host = addr.getComponents()[0]
  if (host?.name === 'dns' || host?.name === 'dns4' || host?.name === 'dns6') return host.value === 'localhost'
  return isLoopback(addr) || isPrivate(addr)
}

function abbreviate (text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
