/**
 * Free loopback ports, for the learner's node (the checker) and for tests that
 * must know a port before anything listens on it. Node-only.
 *
 * Not `get-port`: it is only a transitive dependency here, and by default it
 * probes every interface address of the machine, where everything of ours
 * stays on 127.0.0.1.
 */
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import type { Server } from 'node:net'

/** `count` distinct TCP ports: every socket stays open until all are picked, so none is handed out twice. */
export async function freePorts (count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', resolve)
      })
      const address = server.address()
      if (address == null || typeof address === 'string') throw new Error('no port assigned')
      ports.push(address.port)
    }
    return ports
  } finally {
    await Promise.all(servers.map(async server => { await new Promise(resolve => server.close(resolve)) }))
  }
}

/** A free UDP port (WebRTC-direct listens on one). */
export async function freeUdpPort (): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', resolve)
  })
  const { port } = socket.address()
  await new Promise<void>(resolve => socket.close(resolve))
  return port
}
