import { describe, expect, it } from 'vitest'
import { encodeExtensionMessage, parseExtensionMessage } from '../extension.ts'
import { fitTopologyReport } from '../topology-report.ts'

const peer = (i: number): string => `12D3KooW${String(i).padStart(44, 'x')}`

describe('topology reports', () => {
  it('a very well connected node still publishes a valid report, trimmed to the size limit', () => {
    const report = fitTopologyReport({
      type: 'topology',
      peer: peer(0),
      connections: Array.from({ length: 600 }, (_, i) => ({ peer: peer(i + 1), transport: 'webrtc-direct' as const, direction: 'inbound' as const, limited: false, rttMs: 12.5, agentVersion: 'llmesh/0.1.0 browser (browser) with a long tail'.padEnd(120, '.') })),
      meshPeers: Array.from({ length: 600 }, (_, i) => peer(i + 1))
    })
    expect(report.connections.length).toBeGreaterThan(50)
    expect(report.connections.length).toBeLessThan(600)
    const parsed = parseExtensionMessage(encodeExtensionMessage(report))
    expect(parsed?.type).toBe('topology')
  })

  it('leaves a report that fits as it is', () => {
    const report = { type: 'topology' as const, peer: peer(0), connections: [{ peer: peer(1), transport: 'ws' as const, direction: 'outbound' as const, limited: false }], meshPeers: [peer(1)] }
    expect(fitTopologyReport(report)).toEqual(report)
  })
})
