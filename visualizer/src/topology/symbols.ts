/**
 * One shape per kind of peer, so agents, browsers and terminals differ by more
 * than colour: agent hexagon, browser circle, terminal square, checker
 * triangle, unknown peer diamond. SVG path data centred on (0, 0).
 */
import type { PeerKind } from '../store/types.ts'

export function symbolPath (kind: PeerKind, r: number): string {
  switch (kind) {
    case 'agent': return polygon(6, r, Math.PI / 6)
    case 'terminal': return polygon(4, r * 1.15, Math.PI / 4)
    case 'checker': return polygon(3, r * 1.2, -Math.PI / 2)
    case 'peer': return polygon(4, r * 1.15, 0)
    case 'self':
    case 'browser':
      return `M${r},0A${r},${r} 0 1,1 ${-r},0A${r},${r} 0 1,1 ${r},0Z`
  }
}

function polygon (sides: number, r: number, rotation: number): string {
  const points: string[] = []
  for (let i = 0; i < sides; i++) {
    const angle = rotation + (i * 2 * Math.PI) / sides
    points.push(`${(Math.cos(angle) * r).toFixed(2)},${(Math.sin(angle) * r).toFixed(2)}`)
  }
  return `M${points.join('L')}Z`
}
