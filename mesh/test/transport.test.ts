/**
 * Addresses are classified by their structure, not by substrings of their text.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { checkDialAddress, isLocalAddress } from '../address.ts'
import { transportOf } from '../transport.ts'

const ID = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
const CERT = 'uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ'

describe('transportOf', () => {
  it.each([
    [`/dns4/wss.example.com/tcp/443/p2p/${ID}`, 'tcp'],
    [`/ip4/127.0.0.1/tcp/9091/p2p/${ID}`, 'tcp'],
    [`/ip4/127.0.0.1/tcp/9092/ws/p2p/${ID}`, 'ws'],
    [`/dns4/ws.example.com/tcp/443/wss/p2p/${ID}`, 'wss'],
    [`/ip4/1.2.3.4/tcp/443/tls/sni/x.example.com/ws/p2p/${ID}`, 'wss'],
    [`/ip4/127.0.0.1/udp/9093/webrtc-direct/certhash/${CERT}/p2p/${ID}`, 'webrtc-direct'],
    [`/ip4/127.0.0.1/tcp/9092/ws/p2p/${ID}/p2p-circuit/p2p/${ID}`, 'relay'],
    [`/ip4/127.0.0.1/tcp/9092/ws/p2p/${ID}/p2p-circuit/webrtc/p2p/${ID}`, 'webrtc'],
    ['/p2p-circuit', 'relay'],
    ['/webrtc', 'webrtc'],
    ['/ip4/1.2.3.4/udp/1/quic-v1', 'other'],
    ['not a multiaddr', 'other']
  ])('%s is %s', (address, transport) => {
    expect(transportOf(address)).toBe(transport)
  })
})

describe('dialing from a browser', () => {
  it('refuses a plain TCP address whose host name happens to contain "wss"', () => {
    const check = checkDialAddress(`/dns4/wss.example.com/tcp/443/p2p/${ID}`, 'browser')
    expect(check.ok).toBe(false)
    if (!check.ok) expect(check.reason).toMatch(/cannot dial raw TCP/)
  })

  it('knows loopback, private networks and localhost from public addresses', () => {
    for (const a of ['/ip4/127.0.0.1/tcp/1', '/ip4/192.168.1.20/tcp/1', '/ip4/10.0.0.5/tcp/1', '/ip6/::1/tcp/1', '/dns4/localhost/tcp/1']) expect(isLocalAddress(multiaddr(a)), a).toBe(true)
    for (const a of ['/ip4/147.28.186.157/tcp/1', '/dns4/example.com/tcp/1', '/dns4/localhost.example.com/tcp/1']) expect(isLocalAddress(multiaddr(a)), a).toBe(false)
  })
})
