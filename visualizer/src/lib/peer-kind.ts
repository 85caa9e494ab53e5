/**
 * Tell agents, browsers and terminals apart from what a peer says about itself:
 * LLMesh peers announce their role in identify's agentVersion (see mesh/protocol.ts).
 */
import { roleFromAgentVersion } from '../../../mesh/protocol.ts'
import type { PeerKind } from '../store/types.ts'

export function kindFromAgentVersion (agentVersion: string | undefined): PeerKind | undefined {
  if (agentVersion == null) return undefined
  const role = roleFromAgentVersion(agentVersion)
  if (role != null) return role
  // A universal-connectivity browser peer names its browser in the user agent.
  if (/browser|Mozilla|Chrome|Firefox|Safari/i.test(agentVersion)) return 'browser'
  return 'peer'
}

/** A known kind beats a guess; `self` and `agent` are never downgraded. */
export function mergeKind (current: PeerKind, incoming: PeerKind | undefined): PeerKind {
  if (incoming == null) return current
  if (current === 'self' || current === 'agent') return current
  if (incoming === 'peer' && current !== 'peer') return current
  return incoming
}
