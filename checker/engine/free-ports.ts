/**
 * Free loopback ports for the learner's node. All sockets stay open until every
 * port is picked, so the same port is never handed out twice.
 */
import { createServer } from 'node:net'
import type { Server } from 'node:net'

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
