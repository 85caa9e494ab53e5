/**
 * The topology picture. D3 owns this SVG and nothing else: the component hands
 * it the derived graph and the pulses, and D3 draws them with the general
 * update pattern (`.data(key).join()`), a force layout, zoom and drag.
 *
 * Built for a crowd (200 peers at 60 fps): node and link elements are created
 * only when the graph changes; a big change is mostly laid out before the first
 * paint; a simulation tick only moves attributes; labels are drawn for the few
 * nodes that need them; pulses are painted on a canvas above the SVG (see
 * pulse-painter.ts) by one rAF loop that stops when none are in flight.
 */
import { drag } from 'd3-drag'
import { forceCenter, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3-force'
import type { Simulation, SimulationLinkDatum, SimulationNodeDatum } from 'd3-force'
import { select } from 'd3-selection'
import type { Selection } from 'd3-selection'
import { zoom, zoomIdentity } from 'd3-zoom'
import type { ZoomBehavior } from 'd3-zoom'
import { PULSE_MS } from '../store/pulse-actions.ts'
import type { Graph, GraphNode } from '../store/graph.ts'
import type { LinkInfo, PeerKind, Pulse } from '../store/types.ts'
import { PulsePainter } from './pulse-painter.ts'
import type { PulsePoint } from './pulse-painter.ts'
import { symbolPath } from './symbols.ts'

interface SimNode extends SimulationNodeDatum, GraphNode {
  /** Width of the label always written beside it (0 when none): fitting keeps it on screen. */
  labelWidth?: number
}
interface SimLink extends SimulationLinkDatum<SimNode>, Omit<LinkInfo, 'source' | 'target'> {
  source: SimNode
  target: SimNode
}

export interface ForceViewCallbacks {
  hover: (id: string | undefined) => void
  select: (id: string | undefined) => void
}

/** Fewer nodes than this: every node gets its name written next to it. */
const LABEL_ALL_BELOW = 30
/** A change this big is laid out mostly off-screen (see `update`). */
const PREWARM_AFTER_ADDED = 20
const PREWARM_TICKS = 120
/** Share of a pulse's life spent travelling; the rest is the arrival ripple. */
const TRAVEL_SHARE = 0.75

export class ForceView {
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>
  private readonly root: Selection<SVGGElement, unknown, null, undefined>
  private readonly linkLayer: Selection<SVGGElement, unknown, null, undefined>
  private readonly nodeLayer: Selection<SVGGElement, unknown, null, undefined>
  private readonly painter: PulsePainter
  private lastPulseId = 0
  private readonly simulation: Simulation<SimNode, SimLink>
  private readonly zoomBehaviour: ZoomBehavior<SVGSVGElement, unknown>
  private nodeSelection?: Selection<SVGGElement, SimNode, SVGGElement, unknown>
  private linkSelection?: Selection<SVGLineElement, SimLink, SVGGElement, unknown>
  private readonly nodes = new Map<string, SimNode>()
  private links: SimLink[] = []
  private signature = ''
  private content = ''
  private pulses: readonly Pulse[] = []
  private frame?: number
  private reducedMotion = false
  private userZoomed = false
  private width = 600
  private height = 400
  private focus: { selected?: string, hovered?: string } = {}

  constructor (element: SVGSVGElement, pulseCanvas: HTMLCanvasElement, private readonly callbacks: ForceViewCallbacks) {
    this.svg = select(element)
    this.root = this.svg.append('g').attr('class', 'topology-root')
    this.linkLayer = this.root.append('g').attr('class', 'links')
    this.nodeLayer = this.root.append('g').attr('class', 'nodes')
    this.painter = new PulsePainter(pulseCanvas)

    this.simulation = forceSimulation<SimNode, SimLink>()
      // Settle in ~2.5 s rather than ~5 s: a calm picture, and no CPU spent once still.
      .alphaDecay(0.035)
      .alphaMin(0.005)
      .force('link', forceLink<SimNode, SimLink>().id(d => d.id).distance(l => linkDistance(l, this.nodes.size)).strength(0.7))
      .force('charge', forceManyBody<SimNode>().strength(-160).theta(0.9).distanceMax(400))
      .force('center', forceCenter(0, 0))
      .force('x', forceX<SimNode>(0).strength(0.04))
      .force('y', forceY<SimNode>(0).strength(0.04))
      .on('tick', () => { this.renderPositions() })

    this.zoomBehaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.15, 4])
      .on('zoom', (event) => {
        if (event.sourceEvent != null) this.userZoomed = true
        this.root.attr('transform', event.transform.toString())
        this.painter.setTransform(event.transform)
      })
    this.svg.call(this.zoomBehaviour).on('dblclick.zoom', () => { this.userZoomed = false; this.fit() })
    this.svg.on('click', (event: MouseEvent) => { if (event.target === element) this.callbacks.select(undefined) })
  }

  resize (width: number, height: number): void {
    this.width = Math.max(100, width)
    this.height = Math.max(100, height)
    this.svg.attr('viewBox', `0 0 ${this.width} ${this.height}`)
    this.painter.resize(this.width, this.height)
    this.fit()
  }

  setReducedMotion (reduced: boolean): void {
    this.reducedMotion = reduced
    if (reduced) this.settleAtOnce()
  }

  /** The general update pattern: keyed joins for links and nodes. */
  update (graph: Graph): void {
    // Reports arrive every few seconds, mostly unchanged: skip the DOM work then.
    const content = JSON.stringify([graph.nodes.map(n => [n.id, n.kind, n.name]), graph.links.map(l => [l.key, l.transport, l.limited, l.gossipMesh])])
    if (content === this.content) return
    this.content = content
    const ids = new Set(graph.nodes.map(n => n.id))
    let added = 0
    for (const id of this.nodes.keys()) if (!ids.has(id)) this.nodes.delete(id)
    for (const node of graph.nodes) {
      const existing = this.nodes.get(node.id)
      if (existing != null) {
        existing.kind = node.kind
        existing.name = node.name
      } else {
        this.nodes.set(node.id, { ...node, ...this.birthPlace(node.id, graph.links) })
        added += 1
      }
    }
    this.links = graph.links.flatMap(l => {
      const source = this.nodes.get(l.source)
      const target = this.nodes.get(l.target)
      return source != null && target != null ? [{ ...l, source, target }] : []
    })
    const nodes = [...this.nodes.values()]
    const showAllLabels = nodes.length < LABEL_ALL_BELOW
    this.svg.classed('crowd', nodes.length >= LABEL_ALL_BELOW)

    this.linkSelection = this.linkLayer.selectAll<SVGLineElement, SimLink>('line')
      .data(this.links, d => d.key)
      .join('line')
      .attr('class', d => `link t-${d.transport}${d.gossipMesh ? ' mesh' : ''}${d.limited ? ' limited' : ''}`)
      .attr('data-testid', 'topo-link')
      .attr('data-source', d => d.source.id)
      .attr('data-target', d => d.target.id)
      .attr('data-transport', d => d.transport)
      .attr('data-mesh', d => String(d.gossipMesh))

    this.nodeSelection = this.nodeLayer.selectAll<SVGGElement, SimNode>('g.node')
      .data(nodes, d => d.id)
      .join(enter => {
        const g = enter.append('g')
          .attr('class', 'node')
          .attr('tabindex', 0)
          .attr('data-testid', 'topo-node')
          .on('mouseenter', (_event, d) => { this.callbacks.hover(d.id) })
          .on('mouseleave', () => { this.callbacks.hover(undefined) })
          .on('focus', (_event, d) => { this.callbacks.hover(d.id) })
          .on('blur', () => { this.callbacks.hover(undefined) })
          .on('click', (event: MouseEvent, d) => { event.stopPropagation(); this.callbacks.select(d.id) })
          .on('keydown', (event: KeyboardEvent, d) => { if (event.key === 'Enter' || event.key === ' ') this.callbacks.select(d.id) })
        g.append('path').attr('class', 'shape')
        g.append('text').attr('class', 'label').attr('dy', '0.35em')
        g.call(drag<SVGGElement, SimNode>()
          .on('start', (event, d) => {
            if (!event.active && !this.reducedMotion) this.simulation.alphaTarget(0.2).restart()
            d.fx = d.x
            d.fy = d.y
          })
          .on('drag', (event, d) => {
            d.fx = event.x
            d.fy = event.y
            if (this.reducedMotion) { d.x = event.x; d.y = event.y; this.renderPositions() }
          })
          .on('end', (event, d) => {
            if (!event.active) this.simulation.alphaTarget(0)
            d.fx = null
            d.fy = null
          }))
        return g
      })
      .attr('class', d => `node k-${d.kind}`)
      .attr('data-peer', d => d.id)
      .attr('data-kind', d => d.kind)
      .attr('aria-label', d => `${d.kind} ${d.name}`)
    this.nodeSelection.select<SVGPathElement>('path.shape').attr('d', d => symbolPath(d.kind, nodeRadius(d.kind, nodes.length)))
    this.nodeSelection.select<SVGTextElement>('text.label')
      .attr('x', d => nodeRadius(d.kind, nodes.length) + 4)
      .text(d => (showAllLabels || d.kind === 'self' || d.kind === 'agent') ? labelOf(d) : '')
      .each(function (d) { d.labelWidth = this.textContent === '' ? 0 : measureText(this) })
    this.applyFocus()

    // Order-independent: reports list connections in any order, and only a real change should stir the layout.
    const signature = `${nodes.map(n => n.id).sort().join(',')}|${this.links.map(l => l.key).sort().join(',')}`
    if (signature !== this.signature) {
      this.signature = signature
      this.simulation.nodes(nodes)
      this.simulation.force<ReturnType<typeof forceLink<SimNode, SimLink>>>('link')!.links(this.links)
      if (this.reducedMotion) {
        this.settleAtOnce()
      } else {
        this.simulation.alpha(Math.max(this.simulation.alpha(), 0.6))
        // Many newcomers at once (opening a big mesh): do most of the layout before
        // the first paint, so the picture only drifts into place instead of exploding.
        if (added >= PREWARM_AFTER_ADDED) this.simulation.tick(PREWARM_TICKS)
        this.simulation.restart()
      }
    }
    this.renderPositions()
  }

  setFocus (selected: string | undefined, hovered: string | undefined): void {
    this.focus = { ...(selected != null ? { selected } : {}), ...(hovered != null ? { hovered } : {}) }
    this.applyFocus()
  }

  setPulses (pulses: readonly Pulse[]): void {
    this.pulses = pulses
    const fresh = pulses.filter(p => p.id > this.lastPulseId)
    if (fresh.length > 0) {
      this.lastPulseId = fresh[fresh.length - 1]!.id
      this.painter.countStarted(fresh.length)
    }
    if (this.frame == null && pulses.length > 0) this.frame = requestAnimationFrame(() => { this.animatePulses() })
  }

  destroy (): void {
    this.simulation.stop()
    if (this.frame != null) cancelAnimationFrame(this.frame)
    this.svg.on('.zoom', null)
    this.root.remove()
  }

  private applyFocus (): void {
    const { selected, hovered } = this.focus
    const lit = hovered ?? selected
    this.nodeSelection
      ?.classed('selected', d => d.id === selected)
      .classed('hovered', d => d.id === hovered)
      .select<SVGTextElement>('text.label')
      .text(d => (this.nodes.size < LABEL_ALL_BELOW || d.kind === 'self' || d.kind === 'agent' || d.id === lit) ? labelOf(d) : '')
    this.linkSelection?.classed('focus', d => lit != null && (d.source.id === lit || d.target.id === lit))
  }

  private renderPositions (): void {
    this.linkSelection
      ?.attr('x1', d => d.source.x ?? 0)
      .attr('y1', d => d.source.y ?? 0)
      .attr('x2', d => d.target.x ?? 0)
      .attr('y2', d => d.target.y ?? 0)
    this.nodeSelection?.attr('transform', d => `translate(${d.x ?? 0},${d.y ?? 0})`)
    if (!this.userZoomed) this.fit()
  }

  /** Without motion: compute the settled layout in one go and draw it once. */
  private settleAtOnce (): void {
    this.simulation.stop()
    this.simulation.alpha(1)
    this.simulation.tick(Math.min(300, 60 + this.nodes.size))
    this.renderPositions()
  }

  /** Keep the whole mesh in view until the person zooms or pans themselves. */
  private fit (): void {
    if (this.nodes.size === 0) return
    // The box around every shape and every label written beside it (labels run to the right).
    let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity
    for (const n of this.nodes.values()) {
      const r = nodeRadius(n.kind, this.nodes.size)
      const x = n.x ?? 0
      const y = n.y ?? 0
      minX = Math.min(minX, x - r); maxX = Math.max(maxX, x + r + ((n.labelWidth ?? 0) > 0 ? 4 + n.labelWidth! : 0))
      minY = Math.min(minY, y - r); maxY = Math.max(maxY, y + r)
    }
    const pad = 16
    const scale = Math.min(1.6, (this.width - pad * 2) / Math.max(1, maxX - minX), (this.height - pad * 2) / Math.max(1, maxY - minY))
    const transform = zoomIdentity
      .translate(this.width / 2, this.height / 2)
      .scale(Math.max(0.15, scale))
      .translate(-(minX + maxX) / 2, -(minY + maxY) / 2)
    this.svg.call(this.zoomBehaviour.transform, transform)
  }

  /** A newcomer starts next to a peer it is linked to, so the layout does not jump. */
  private birthPlace (id: string, links: LinkInfo[]): { x: number, y: number } {
    const link = links.find(l => (l.source === id && this.nodes.has(l.target)) || (l.target === id && this.nodes.has(l.source)))
    const anchor = link != null ? this.nodes.get(link.source === id ? link.target : link.source) : undefined
    const angle = Math.random() * Math.PI * 2
    return { x: (anchor?.x ?? 0) + Math.cos(angle) * 30, y: (anchor?.y ?? 0) + Math.sin(angle) * 30 }
  }

  private animatePulses (): void {
    this.frame = undefined
    const now = Date.now()
    const live = this.pulses.filter(p => now - p.at < PULSE_MS)
    const points = live.flatMap(pulse => {
      const point = this.pulsePoint(pulse, (now - pulse.at) / PULSE_MS)
      return point != null ? [point] : []
    })
    this.painter.draw(points)
    if (live.length > 0) this.frame = requestAnimationFrame(() => { this.animatePulses() })
  }

  /** Where a pulse is at `progress` (0..1): travelling along its path, then a ripple at the end. */
  private pulsePoint (pulse: Pulse, progress: number): PulsePoint | undefined {
    const path = pulse.path.map(id => this.nodes.get(id)).filter((n): n is SimNode => n != null)
    if (path.length < 2) return undefined
    const last = path[path.length - 1]!
    if (this.reducedMotion || progress >= TRAVEL_SHARE) {
      // Reduced motion: no travelling dot, only a brief, still mark on the receiver.
      const ripple = this.reducedMotion ? 0.5 : (progress - TRAVEL_SHARE) / (1 - TRAVEL_SHARE)
      return { x: last.x ?? 0, y: last.y ?? 0, r: 8 + ripple * 14, opacity: 0.8 * (1 - ripple), arrived: true }
    }
    const along = (progress / TRAVEL_SHARE) * (path.length - 1)
    const segment = Math.min(path.length - 2, Math.floor(along))
    const t = along - segment
    const a = path[segment]!
    const b = path[segment + 1]!
    return { x: (a.x ?? 0) + ((b.x ?? 0) - (a.x ?? 0)) * t, y: (a.y ?? 0) + ((b.y ?? 0) - (a.y ?? 0)) * t, r: 4, opacity: 1, arrived: false }
  }
}

function nodeRadius (kind: PeerKind, count: number): number {
  const crowd = count > 60 ? 0.7 : 1
  if (kind === 'agent') return 15
  if (kind === 'self') return 11
  return 8 * crowd
}

/** A handful of peers get room to breathe; a crowd packs closer. */
function linkDistance (link: SimLink, count: number): number {
  const spread = count <= 12 ? 1.6 : 1
  if (link.source.kind === 'agent' || link.target.kind === 'agent') return 90 * spread
  return 60 * spread
}

/** A label's drawn width; an estimate where the text cannot be laid out (hidden, or not yet in the page). */
function measureText (text: SVGTextElement): number {
  let width = 0
  try { width = text.getComputedTextLength() } catch {}
  return width > 0 ? width : (text.textContent?.length ?? 0) * 6.5
}

function labelOf (node: SimNode): string {
  return node.kind === 'self' ? `${node.name} (you)` : node.name
}
