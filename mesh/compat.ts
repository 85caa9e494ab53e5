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

if (typeof globalThis.WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', { value: NodeWebSocket, writable: true, configurable: true })
}
