/**
 * Dialing the learner's node the way a stranger would: pick the address it
 * printed for a transport, check it is on the port the checker asked for, dial
 * it, and make sure the peer that answered is the one that was printed.
 */
import type { Connection, Libp2p } from '@libp2p/interface'
import type { StartedNode } from './start-node.ts'
import { shortAddress, shortPeerId } from '../engine/printed-addresses.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { classifyDialError, describeError } from '../../mesh/dial-errors.ts'

const TRANSPORT_NAMES = { tcp: 'TCP', ws: 'WebSocket' } as const
const PORT_VARIABLES = { tcp: 'LLMESH_TCP_PORT', ws: 'LLMESH_WS_PORT' } as const

/** The printed address for a transport, on the port the checker asked for. */
export function addressFor (node: StartedNode, kind: 'tcp' | 'ws', port: number): PrintedAddress {
  const ofKind = node.addresses.filter(a => a.kind === kind)
  const expected = kind === 'tcp' ? `/ip4/127.0.0.1/tcp/${port}/p2p/…` : `/ip4/127.0.0.1/tcp/${port}/ws/p2p/…`
  if (ofKind.length === 0) {
    fail(`your node printed no ${TRANSPORT_NAMES[kind]} address: listen on ${expected.replace('/p2p/…', '')} and add the ${kind === 'tcp' ? 'tcp()' : 'webSockets()'} transport.`, {
      expected,
      seen: node.addresses.map(a => shortAddress(a.text)).join('  ')
    })
  }
  const onPort = ofKind.find(a => a.port === port)
  if (onPort == null) {
    const wrong = ofKind[0]
    fail(`your node listens for ${TRANSPORT_NAMES[kind]} on port ${wrong?.port ?? '?'}, but the checker asked for port ${port} in ${PORT_VARIABLES[kind]}.`, {
      expected,
      seen: shortAddress(wrong?.text ?? '')
    })
  }
  return onPort
}

/**
 * Dial without the /p2p/ part, so that a different peer answering is reported
 * by us ("printed X, but Y answered") rather than as a generic dial error.
 * With several dialers (see engine/checker-peers.ts), each is tried in turn: a
 * node with a muxer refuses one without, and the other way round.
 */
export async function dialPrinted (dialer: Libp2p<any> | Array<Libp2p<any>>, address: PrintedAddress, signal: AbortSignal, explain = explainDialError): Promise<Connection> {
  return (await dialFirstThatWorks(Array.isArray(dialer) ? dialer : [dialer], address, signal, explain)).connection
}

/**
 * The same, telling which dialer connected, so the next dial can try it first:
 * a learner's node refuses more than 5 new connections a second from one host
 * (libp2p's inboundConnectionThreshold), so failed tries are worth saving.
 */
export async function dialFirstThatWorks<D extends Libp2p<any>> (dialers: D[], address: PrintedAddress, signal: AbortSignal, explain = explainDialError): Promise<{ connection: Connection, dialer: D }> {
  const target = address.addr.decapsulateCode(0x01a5) // 0x01a5 = p2p
  let found: { connection: Connection, dialer: D } | undefined
  let firstError: unknown
  for (const dialer of dialers) {
    try {
      found = { connection: await dialer.dial(target, { signal }), dialer }
      break
    } catch (err) {
      if (signal.aborted) throw err
      // The most telling error is the first, unless it only says the muxers did not match.
      if (firstError == null || /no common muxers/i.test(String((firstError as Error).message))) firstError = err
    }
  }
  if (found == null) fail(explain(firstError as Error, address), { seen: describeError(firstError) })
  const remote = found.connection.remotePeer.toString()
  if (remote !== address.peerId) {
    fail(`your node printed peer id ${shortPeerId(address.peerId ?? '')}, but the peer answering at this address is ${shortPeerId(remote)}.`, {
      expected: address.peerId ?? '',
      seen: remote
    })
  }
  return found
}

/**
 * For a step's time limit while dialing: a refused port fails at once, so a dial
 * that hangs found something that accepted the connection and then said nothing.
 */
export function silentListener (port: number): string {
  return `something accepts connections on port ${port} but never answered the libp2p handshake, as if your program's event loop were blocked`
}

/** What a failed dial means for the learner's node; the reading of the error is `mesh/dial-errors.ts`. */
export function explainDialError (err: Error, address: PrintedAddress): string {
  switch (classifyDialError(err).kind) {
    case 'refused': return `nothing accepts connections on port ${address.port ?? '?'}: your program printed ${shortAddress(address.text)} but no node listens there.`
    case 'closed': return `your node closed the connection during the handshake: do both sides share a connection encrypter (${address.kind === 'ws' ? 'over WebSockets' : 'over TCP'})?`
    case 'no-encrypter': return 'the checker and your node share no connection encrypter: list one in connectionEncrypters.'
    case 'timeout': return `the dial to ${shortAddress(address.text)} never completed.`
    default: return `the dial to ${shortAddress(address.text)} failed: ${err.message}`
  }
}
