/**
 * The welcome screen explains a bad address in one line before anything is
 * dialed. The rules live in mesh/address.ts; useMesh() surfaces them.
 */
import { effectScope } from 'vue'
import { describe, expect, it } from 'vitest'
import { checkDialAddress } from '../../mesh/address.ts'
import { useMesh } from '../src/composables/useMesh.ts'
import { fakeContext } from './fake-context.ts'

const PEER = '12D3KooWDPMxafbcy7YzfUhXCjmDzNib2CEMqCSRE8gZUkN9LmLW'
const CERTHASH = 'uEiDBVsnW18WpF8BMmyy3U5Jk0lSX_yvAjkosgIzraJOwNg'

describe('multiaddr validation for the browser', () => {
  const problem = (address: string) => {
    const check = checkDialAddress(address, 'browser')
    return check.ok ? undefined : check.reason
  }

  it('reports a malformed peer id as such', () => {
    expect(problem('/ip4/127.0.0.1/tcp/9092/ws/p2p/12D3KooWabc')).toMatch(/^"12D3KooWabc" after \/p2p\/ is not a valid peer id/)
    expect(problem(`/ip4/127.0.0.1/tcp/9092/ws/p2p/${PEER.slice(0, -1)}`)).toMatch(/is not a valid peer id/)
  })

  it('accepts the agent\'s /ws and /webrtc-direct addresses', () => {
    expect(problem(`/ip4/127.0.0.1/tcp/9092/ws/p2p/${PEER}`)).toBeUndefined()
    expect(problem(`/ip4/127.0.0.1/udp/9093/webrtc-direct/certhash/${CERTHASH}/p2p/${PEER}`)).toBeUndefined()
    expect(problem(`  /ip4/127.0.0.1/tcp/9092/ws/p2p/${PEER}\n`)).toBeUndefined()
  })

  it('explains text that is not a multiaddr', () => {
    expect(problem('hello alien')).toMatch(/not a multiaddr.*must start with "\/"/)
    expect(problem('')).toMatch(/empty/)
    expect(problem('/ip4/999.1.1.1/tcp/1/ws')).toMatch(/not a valid multiaddr/)
  })

  it('explains /tcp without /ws: browsers cannot dial raw TCP', () => {
    expect(problem(`/ip4/127.0.0.1/tcp/9091/p2p/${PEER}`)).toMatch(/Browsers cannot dial raw TCP.*\/ws/)
  })

  it('explains /tls/ws to a local agent that only speaks plain /ws', () => {
    expect(problem(`/ip4/127.0.0.1/tcp/9092/tls/ws/p2p/${PEER}`)).toMatch(/\/tls\/ws.*plain \/ws/)
  })

  it('explains a missing /p2p/ peer id', () => {
    expect(problem('/ip4/127.0.0.1/tcp/9092/ws')).toMatch(/no \/p2p\/<peer id>/)
  })

  it('explains a WebRTC-direct address without its certhash', () => {
    expect(problem(`/ip4/127.0.0.1/udp/9093/webrtc-direct/p2p/${PEER}`)).toMatch(/certhash/)
  })

  it('is what the welcome screen shows, through useMesh()', () => {
    const scope = effectScope()
    scope.run(() => {
      const mesh = useMesh(fakeContext().context)
      expect(mesh.addressProblem(`/ip4/127.0.0.1/tcp/9091/p2p/${PEER}`)).toMatch(/raw TCP/)
      expect(mesh.addressProblem(`/ip4/127.0.0.1/tcp/9092/ws/p2p/${PEER}`)).toBeUndefined()
    })
    scope.stop()
  })
})
