/**
 * How an own message's delivery reads in the chat.
 */
import type { Delivery } from '../store/types.ts'

export function deliveryLabel (delivery: Delivery | undefined): string {
  switch (delivery?.state) {
    case undefined: return ''
    case 'pending': return 'pending · sent when the mesh is back'
    case 'sending': return 'sending…'
    case 'sent':
      if (delivery.recipients === 0) return 'no peers yet'
      return `sent to ${delivery.recipients} peer${delivery.recipients === 1 ? '' : 's'}`
    case 'failed': return `not sent: ${delivery.reason}`
  }
}
