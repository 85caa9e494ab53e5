/**
 * How an own message's delivery reads in the chat. Every word comes from a real
 * publish result (who gossipsub wrote it to) and from the agent's history (did
 * the agent get it); nothing is claimed before either answered.
 */
import type { Delivery } from '../store/types.ts'

export function deliveryLabel (delivery: Delivery | undefined): string {
  switch (delivery?.state) {
    case undefined: return ''
    case 'pending': return 'pending · sent when the mesh is back'
    case 'sending': return 'sending…'
    case 'sent': return `${sentTo(delivery.recipients, delivery.toAgent)}${receipt(delivery.agentHas)}`
    case 'failed': return `not sent: ${delivery.reason}`
  }
}

function sentTo (recipients: number, toAgent: boolean | undefined): string {
  const peers = `${recipients} peer${recipients === 1 ? '' : 's'}`
  // Saved before delivery named the agent: say only what we knew then.
  if (toAgent == null) return recipients === 0 ? 'no peers yet' : `sent to ${peers}`
  if (toAgent && recipients === 1) return 'sent to the agent'
  if (toAgent) return `reached ${peers}, the agent among them`
  return `reached ${peers}, not the agent`
}

function receipt (agentHas: boolean | undefined): string {
  if (agentHas === true) return ' · the agent has it'
  if (agentHas === false) return ' · the agent did not get it'
  return ''
}
