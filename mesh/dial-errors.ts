/**
 * What went wrong in a libp2p dial, read from the error it rejected with.
 * libp2p's errors are precise but terse, and the same failure arrives under
 * different names in Node and in browsers; this reads them once. Each side
 * then says it in its own words: the chat app to someone joining the agent
 * (`visualizer/src/lib/dial-errors.ts`), the checker to a learner about their
 * node (`checker/checks/dial.ts`). Browser-safe: no Node imports.
 */

export type DialFailure =
  /** Nothing listens there (Node: ECONNREFUSED; browsers do not say). */
  | { kind: 'refused' }
  /** Another key answered: `actual` is the peer Noise saw, when it says. */
  | { kind: 'wrong-peer', actual?: string }
  /** A connection gater refused the address before dialing. */
  | { kind: 'denied' }
  /** The remote closed or reset the connection during the handshake. */
  | { kind: 'closed' }
  /** No connection encrypter in common. */
  | { kind: 'no-encrypter' }
  /** The dial's time ran out or it was aborted. */
  | { kind: 'timeout' }
  | { kind: 'other' }

/** Classify a dial error. The order matters: Noise reports a wrong peer as an EncryptionFailedError. */
export function classifyDialError (err: unknown): DialFailure {
  const name = errorName(err)
  const text = `${name} ${errorMessage(err)} ${String((err as { cause?: unknown } | undefined)?.cause ?? '')}`
  if (/ECONNREFUSED/.test(text)) return { kind: 'refused' }
  if (name === 'UnexpectedPeerError' || /unexpected peer|does not match expected remote|peer id.*(mismatch|did not match)/i.test(text)) {
    // Noise names the key the remote proved; an Ed25519 key prints as its peer id.
    const actual = /identity key (\S+) does not match/.exec(text)?.[1]
    return actual != null ? { kind: 'wrong-peer', actual } : { kind: 'wrong-peer' }
  }
  if (name === 'DialDeniedError' || /denied|gater/i.test(text)) return { kind: 'denied' }
  if (/ECONNRESET|closed|reset/i.test(text)) return { kind: 'closed' }
  if (/EncryptionFailed|protocol selection failed|No encrypter|UnsupportedProtocol/i.test(text)) return { kind: 'no-encrypter' }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out|timeout|abort/i.test(text)) return { kind: 'timeout' }
  return { kind: 'other' }
}

/**
 * An error as one readable line. libp2p sometimes rejects with a bare DOM
 * Event ("[object Event]"), and a message can run to a stack of lines.
 */
export function describeError (err: unknown, maxLength = Infinity): string {
  if (typeof Event !== 'undefined' && err instanceof Event) return `the connection ended (${err.type} event)`
  const message = firstLine(errorMessage(err), maxLength)
  if (message === '' || message.startsWith('[object')) return String(err)
  return `${errorName(err)}: ${message}`
}

/** The first line of a text, cut to `maxLength` characters with an ellipsis. */
export function firstLine (text: string, maxLength = 140): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line
}

function errorName (err: unknown): string {
  return (err as Error | undefined)?.name ?? 'Error'
}

function errorMessage (err: unknown): string {
  return (err as Error | undefined)?.message ?? String(err)
}
