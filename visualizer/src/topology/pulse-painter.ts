/**
 * Pulses are painted on a canvas laid over the SVG. Moving dots inside the SVG
 * would make the browser repaint the whole mesh picture every frame; on the
 * canvas they cost a clear and a few arcs, so a crowd of 200 peers stays at 60 fps.
 */
export interface PulsePoint {
  x: number
  y: number
  r: number
  opacity: number
  /** Arrived: drawn as an expanding ring at the receiver instead of a travelling dot. */
  arrived: boolean
}

export class PulsePainter {
  private readonly context: CanvasRenderingContext2D | null
  private transform = { x: 0, y: 0, k: 1 }
  private ratio = 1
  private drawnSomething = false
  /** How many pulses were ever started: e2e tests read it from `data-pulses`. */
  private started = 0

  constructor (private readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')
  }

  resize (width: number, height: number): void {
    this.ratio = globalThis.devicePixelRatio ?? 1
    this.canvas.width = Math.round(width * this.ratio)
    this.canvas.height = Math.round(height * this.ratio)
    this.canvas.style.width = `${width}px`
    this.canvas.style.height = `${height}px`
  }

  /** The zoom transform of the SVG's root group, so dots sit on the links. */
  setTransform (transform: { x: number, y: number, k: number }): void {
    this.transform = { x: transform.x, y: transform.y, k: transform.k }
  }

  countStarted (count: number): void {
    this.started += count
    this.canvas.dataset.pulses = String(this.started)
  }

  draw (points: readonly PulsePoint[]): void {
    const ctx = this.context
    if (ctx == null) return
    if (points.length === 0 && !this.drawnSomething) return
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height)
    this.drawnSomething = points.length > 0
    const { x, y, k } = this.transform
    ctx.setTransform(this.ratio * k, 0, 0, this.ratio * k, this.ratio * x, this.ratio * y)
    for (const p of points) {
      ctx.globalAlpha = p.opacity
      ctx.beginPath()
      ctx.arc(p.x, p.y, p.r, 0, Math.PI * 2)
      if (p.arrived) {
        ctx.lineWidth = 2
        ctx.strokeStyle = '#6ee7ff'
        ctx.stroke()
      } else {
        ctx.fillStyle = '#ffffff'
        ctx.fill()
        ctx.lineWidth = 2
        ctx.strokeStyle = '#6ee7ff'
        ctx.stroke()
      }
    }
    ctx.globalAlpha = 1
  }
}
