/**
 * Node 20 compatibility for the libp2p 3 stack.
 *
 * libp2p 3 calls `Promise.withResolvers` (Node 22+) and expects a global
 * `WebSocket` (Node 22+). Every Node entry point and the test setup import this
 * module first, before anything from libp2p is evaluated. Browsers have both,
 * so the visualizer never imports it.
 */
import { WebSocket as NodeWebSocket } from 'ws'

declare global {
  interface PromiseConstructor {
    withResolvers<T>(): { promise: Promise<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: unknown) => void }
  }
}

if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers<T> () {
    let resolve!: (value: T | PromiseLike<T>) => void
    let reject!: (reason?: unknown) => void
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

/**
 * `ws`'s WebSocket is an EventEmitter: an 'error' nobody listens to is thrown
 * and ends the process, where the WebSocket of browsers and Node 22 drops it.
 * libp2p's WebSocket dialer stops listening when a dial is aborted (another
 * address won, a timeout), and a refused connection reports its error after
 * that: a node on Node 20 crashed when, say, a relay redialed a peer that had
 * just quit. The listeners libp2p adds still get every error.
 */
export class BrowserLikeWebSocket extends NodeWebSocket {
  constructor (...args: ConstructorParameters<typeof NodeWebSocket>) {
    super(...args)
    this.on('error', () => {})
  }
}

if (typeof globalThis.WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', { value: BrowserLikeWebSocket, writable: true, configurable: true })
}
