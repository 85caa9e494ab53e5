/**
 * Where the agent is: the `?agent=` URL parameter (the agent's banner prints
 * that link) and `agent.json`, which the agent's web server serves next to the
 * app with every address a browser can dial. `agent.json` is read again before
 * each reconnect: a restarted agent may have a new WebRTC certificate hash.
 */
export interface AgentInfo {
  /** The address the agent recommends for browsers. */
  address?: string
  /** Every browser-dialable address it listens on. */
  addresses: string[]
}

export function agentAddressFromUrl (search: string): string | undefined {
  const value = new URLSearchParams(search).get('agent')
  return value != null && value.trim() !== '' ? value.trim() : undefined
}

export async function fetchAgentInfo (timeoutMs = 1500): Promise<AgentInfo | undefined> {
  try {
    const response = await fetch('./agent.json', { cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) })
    if (!response.ok) return undefined
    const body: unknown = await response.json()
    if (typeof body !== 'object' || body == null) return undefined
    const { address, addresses } = body as Record<string, unknown>
    return {
      ...(typeof address === 'string' ? { address } : {}),
      addresses: Array.isArray(addresses) ? addresses.filter((a): a is string => typeof a === 'string') : []
    }
  } catch {
    // Served by `npm run dev` or as static files: there is no agent.json, and that is fine.
    return undefined
  }
}
