/**
 * A 5×5 mirrored identicon for a peer id: the same peer always looks the same,
 * in the chat and in the topology.
 */

export interface Identicon {
  hue: number
  /** Filled cells as [column, row] on a 5×5 grid. */
  cells: Array<[number, number]>
}

export function identiconFor (peerId: string): Identicon {
  let bits = hashString(`${peerId}#cells`)
  const cells: Array<[number, number]> = []
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if ((bits & 1) === 1) {
        cells.push([col, row])
        if (col < 2) cells.push([4 - col, row])
      }
      bits >>>= 1
    }
  }
  if (cells.length === 0) cells.push([2, 2])
  return { hue: hashString(peerId) % 360, cells }
}

function hashString (text: string): number {
  // FNV-1a: tiny, fast and well spread for short ids.
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
