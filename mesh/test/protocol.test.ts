import { describe, expect, it } from 'vitest'
import { llmeshAgentVersion, PEER_ROLES, roleFromAgentVersion } from '../protocol.ts'

describe('roles in identify', () => {
  it('reads back every role an LLMesh peer announces', () => {
    for (const role of PEER_ROLES) for (const runtime of ['node', 'browser'] as const) {
      expect(roleFromAgentVersion(llmeshAgentVersion(role, runtime))).toBe(role)
    }
  })

  it('takes no role from a near miss or a foreign agent version', () => {
    for (const version of ['llmesh/0.1.0 agent-like (node)', 'llmesh/0.1.0 agents (node)', 'my llmesh/0.1.0 agent (node)', 'js-libp2p/3.0.0 UAgent(node)', undefined]) {
      expect(roleFromAgentVersion(version)).toBeUndefined()
    }
  })
})
