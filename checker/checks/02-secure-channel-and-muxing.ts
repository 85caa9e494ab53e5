/**
 * Lesson 2: the node negotiates Noise and Yamux, answers ping, and tells the
 * checker who it is over identify.
 */
import type { Connection } from '@libp2p/interface'
import type { Socket } from 'node:net'
import type { CheckRun } from '../engine/check-run.ts'
import { openSocket, probeProtocols } from '../engine/multistream-probe.ts'
import { shortAddress } from '../engine/printed-addresses.ts'
import type { PrintedAddress } from '../engine/printed-addresses.ts'
import { fail } from '../engine/step-failure.ts'
import { addressFor, dialPrinted, explainDialError, silentListener } from './dial.ts'
import { startNode } from './start-node.ts'

const NOISE = '/noise'
const YAMUX = '/yamux/1.0.0'
/** Secure channels the probe asks about, to name what the node speaks instead of Noise. */
const PLAINTEXT = '/plaintext/2.0.0'
const OTHER_CHANNELS = [PLAINTEXT, '/tls/1.0.0']
const PING_COUNT = 3

export default async function checkSecureChannelAndMuxing (run: CheckRun): Promise<void> {
  // Load libp2p and start the checker's peer while the learner's program boots.
  const dialing = import('../engine/checker-peers.ts').then(async peers => await peers.secureDialer())
  dialing.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await (await dialing).stop() })

  const node = await startNode(run)

  let address!: PrintedAddress
  let socket!: Socket
  await run.step('dial', async (scope) => {
    address = addressFor(node, 'tcp', run.env.tcpPort)
    scope.title(`dial ${shortAddress(address.text)}`)
    try {
      socket = await openSocket('127.0.0.1', run.env.tcpPort, scope.signal)
    } catch (err) {
      fail(`nothing accepts TCP connections on port ${run.env.tcpPort}, although your program printed that address.`, { seen: (err as Error).message })
    }
  })

  await run.step('noise', async (scope) => {
    // A libp2p node answers multistream-select at once; silence means nothing is serving the socket.
    scope.onTimeout(silentListener(run.env.tcpPort))
    const { accepted } = await probeProtocols(socket, [NOISE, ...OTHER_CHANNELS], scope.signal)
    if (accepted == null) fail(`your node refused ${NOISE} and every other secure channel the checker knows: add noise() to connectionEncrypters.`)
    if (accepted !== NOISE) fail(`remote offered ${accepted}: replace it with noise() in connectionEncrypters.`, { expected: NOISE, seen: accepted })
    // Accepting Noise is not enough: a node that still offers plaintext can be talked
    // into it by a peer that proposes nothing else. Ask again on a fresh socket.
    const second = await openSocket('127.0.0.1', run.env.tcpPort, scope.signal)
    const { accepted: downgrade } = await probeProtocols(second, [PLAINTEXT], scope.signal)
    if (downgrade === PLAINTEXT) fail(`your node still offers ${PLAINTEXT}: remove plaintext() from connectionEncrypters.`, { expected: `only ${NOISE}`, seen: `${NOISE} and ${PLAINTEXT}` })
    scope.detail(`remote accepted ${NOISE}, refused ${PLAINTEXT}`)
  })

  const dialer = await dialing
  let connection!: Connection
  await run.step('yamux', async (scope) => {
    scope.onTimeout(`your node accepted Noise but never agreed on a stream muxer (the checker offered ${YAMUX})`)
    // Noise was accepted a step ago, so a dial that fails now is almost always the muxer.
    connection = await dialPrinted(dialer, address, scope.signal, (err, printed) => {
      if (/ECONNREFUSED/.test(`${err.message} ${String(err.cause ?? '')}`)) return explainDialError(err, printed)
      return `your node accepted Noise but then dropped the connection instead of agreeing on a stream muxer: add streamMuxers: [yamux()] (the checker offered ${YAMUX}).`
    })
    if (connection.encryption !== NOISE) fail(`the connection is secured by ${connection.encryption ?? 'nothing'}, not Noise.`, { expected: NOISE, seen: connection.encryption ?? 'none' })
    if (connection.multiplexer !== YAMUX) fail(`the connection is multiplexed by ${connection.multiplexer ?? 'nothing'}: add yamux() to streamMuxers.`, { expected: YAMUX, seen: connection.multiplexer ?? 'none' })
    scope.detail(`${NOISE} + ${YAMUX}`)
  })

  await run.step('ping', async (scope) => {
    const rtts: number[] = []
    for (let i = 0; i < PING_COUNT; i++) {
      try {
        rtts.push(await dialer.services.ping.ping(connection.remotePeer, { signal: scope.signal }))
      } catch (err) {
        fail('your node does not answer /ipfs/ping/1.0.0: add ping() to its services.', { seen: (err as Error).message })
      }
    }
    scope.detail(`${PING_COUNT} pings, RTT ${rtts.map(ms => Math.round(ms)).join(' / ')} ms`)
  })

  await run.step('identify', async (scope) => {
    let record
    try {
      record = await dialer.services.identify.identify(connection, { signal: scope.signal })
    } catch (err) {
      fail('your node does not answer /ipfs/id/1.0.0: add identify() to its services.', { seen: (err as Error).message })
    }
    const agent = record.agentVersion ?? ''
    if (!/llmesh/i.test(agent)) {
      fail('your node\'s agent version does not say it is an LLMesh node: set nodeInfo.userAgent with llmeshAgentVersion() from mesh/protocol.ts.', {
        expected: 'an agent version containing "llmesh", e.g. llmesh/0.1.0 terminal (node)',
        seen: agent === '' ? 'no agent version' : agent
      })
    }
    for (const protocol of ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0']) {
      if (!record.protocols.includes(protocol)) fail(`your node's identify record does not list ${protocol}.`, { seen: record.protocols.join(', ') })
    }
    scope.detail(`"${agent}", ${record.protocols.length} protocols`)
  })
}
