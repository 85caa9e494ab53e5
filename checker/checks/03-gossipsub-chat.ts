/**
 * Lesson 3: the node joins the checker's chat peer, subscribes to the chat
 * topic, prints what it receives, answers `/nonce <value>` with a signed
 * `nonce <value> <its peer id>`, and publishes what is typed on its stdin: the
 * order of the lesson's TODOs.
 *
 * Every judgement rides on a fresh random value that only a working node can
 * have seen, so printing the expected lines cannot pass.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import type { CheckRun } from '../engine/check-run.ts'
import { freePorts } from '../engine/free-ports.ts'
import { shortPeerId } from '../engine/printed-addresses.ts'
import { fail, StepFailure } from '../engine/step-failure.ts'
import { ChatListener } from './chat-listener.ts'
import type { Rejection } from './chat-listener.ts'
import { startNode } from './start-node.ts'

/** Say it again, with a new value, if the first try got lost in a race (e.g. a subscription still in flight). */
const RETRY_MS = 600
/** How long before the node printed its addresses the checker's peer must have been listening. */
const LATE_MARGIN_MS = 50

export default async function checkGossipsubChat (run: CheckRun): Promise<void> {
  // The checker's chat peer gets its key and port now, so its address can go to
  // the learner's program at once; libp2p loads while that program boots.
  const [[port = 0], key] = await Promise.all([freePorts(1), generateKeyPair('Ed25519')])
  const checkerAddress = `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key)}`
  // What the learner's node says it speaks, from its identify record.
  const identified = new Map<string, string[]>()
  const starting = import('../engine/checker-peers.ts').then(async peers => {
    const peer = await peers.gossipPeer(key, port)
    peer.addEventListener('peer:identify', (event) => { identified.set(event.detail.peerId.toString(), event.detail.protocols) })
    peer.services.pubsub.subscribe(CHAT_TOPIC)
    return peer
  })
  starting.catch(() => {}) // a failure surfaces where it is awaited
  run.defer(async () => { await (await starting).stop() })
  let checkerReadyAt = Infinity
  void starting.then(() => { checkerReadyAt = performance.now() }, () => {})

  const node = await startNode(run, { LLMESH_PEERS: checkerAddress })
  const nodePeer = peerIdFromString(node.peerId)
  const checker = await starting
  // The node dials right after printing its addresses. On a very slow machine the
  // checker's peer may not have been listening yet; then the checker dials instead.
  const firstAddressAt = node.program.startedAt + (node.program.lines.find(line => line.text.includes(node.peerId))?.at ?? 0)
  const checkerWasLate = checkerReadyAt > firstAddressAt - LATE_MARGIN_MS
  const pubsub = checker.services.pubsub
  const chat = new ChatListener(pubsub)
  run.defer(() => { chat.close() })

  await run.step('connect', async (scope) => {
    scope.onTimeout('your node never connected to the checker, whose address is in LLMESH_PEERS', { expected: `a connection from ${shortPeerId(node.peerId)} to ${checkerAddress}` })
    if (checkerWasLate) {
      const tcpAddress = node.addresses.find(a => a.kind === 'tcp')
      if (tcpAddress != null) await checker.dial(tcpAddress.addr, { signal: scope.signal }).catch(() => {})
    }
    await until(() => checker.getConnections(nodePeer).length > 0, scope.signal)
    const connection = checker.getConnections(nodePeer)[0]
    if (connection?.encryption !== '/noise' || connection.multiplexer !== '/yamux/1.0.0') {
      fail('your node connected without Noise and Yamux: finish lesson 2 first.', { seen: `${connection?.encryption ?? '?'} + ${connection?.multiplexer ?? '?'}` })
    }
    scope.detail(`${connection.encryption} + ${connection.multiplexer}`)
  })

  await run.step('subscribe', async (scope) => {
    scope.onTimeout(`your node never subscribed to "${CHAT_TOPIC}"`, {
      expected: `${shortPeerId(node.peerId)} among the subscribers of "${CHAT_TOPIC}"`,
      seen: () => `subscribers: ${pubsub.getSubscribers(CHAT_TOPIC).map(p => shortPeerId(p.toString())).join(', ') || 'none'}`
    })
    while (!isSubscribed(pubsub.getSubscribers(CHAT_TOPIC), nodePeer)) {
      // Identify tells early whether the node speaks gossipsub at all: no need to wait out the limit.
      const protocols = identified.get(node.peerId)
      if (protocols != null && !protocols.some(p => p.startsWith('/meshsub/'))) {
        fail('your node does not speak GossipSub: its identify record lists no /meshsub/… protocol, so add the gossipsub() service as `pubsub`.', {
          expected: '/meshsub/1.1.0 among its protocols',
          seen: protocols.join(', ')
        })
      }
      await pause(10, scope.signal)
    }
    scope.detail(`"${CHAT_TOPIC}"`)
  })

  await run.step('receive', async (scope) => {
    const sent: string[] = []
    // A node that does not sign (StrictNoSign) also drops the checker's signed messages,
    // so it never prints them. To say why rather than time out, type one line on its
    // stdin after the first try: if it publishes that line unsigned, the checker sees it.
    const probe = `typed on stdin ${freshValue()}`
    scope.onTimeout('your node did not print the message the checker published', {
      expected: 'a line containing the text the checker sent',
      seen: () => `checker sent "${sent.at(-1) ?? ''}"; ${lastOutput(run, probe)}`
    })
    let probed = false
    const printed = (): boolean => run.program?.lines.some(line => sent.some(text => line.text.includes(text))) ?? false
    const refused = (): Rejection | undefined => chat.rejections.find(r => r.from === node.peerId)
    await repeatUntil(async () => {
      if (sent.length > 0 && !probed) {
        probed = true
        run.program?.writeLine(probe)
      }
      const text = `hello from the checker ${freshValue()}`
      sent.push(text)
      await pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(text))
    }, () => printed() || refused() != null, scope.signal)
    const rejection = refused()
    if (!printed() && rejection != null) throw unsignedFailure(rejection)
    scope.detail('printed the checker\'s message')
  })

  await run.step('nonce', async (scope) => {
    const nonces: string[] = []
    scope.onTimeout('your node did not answer the checker\'s /nonce message', {
      expected: `a message "nonce <value> ${node.peerId}"`,
      seen: () => `checker sent "/nonce ${nonces.at(-1) ?? ''}"; ${lastOutput(run)}`
    })
    const answered = chat.waitFor(m => nonces.some(nonce => m.text.startsWith(`nonce ${nonce}`)), scope.signal, node.peerId, unsignedFailure)
    await repeatUntil(async () => {
      const nonce = freshValue()
      nonces.push(nonce)
      await pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(`/nonce ${nonce}`))
    }, answered, scope.signal)
    const { text, message } = await answered
    const [, nonce = '', named = ''] = text.split(' ')
    if (!message.from.equals(nodePeer)) fail(`the answer was signed by ${shortPeerId(message.from.toString())}, not by your node.`, { expected: node.peerId, seen: message.from.toString() })
    if (named !== node.peerId) fail('the answer must end with your node\'s own peer id.', { expected: `nonce ${nonce} ${node.peerId}`, seen: text })
    scope.detail(`"nonce ${nonce.slice(0, 6)}… ${shortPeerId(named)}"`)
  })

  await run.step('publish', async (scope) => {
    const typed: string[] = []
    scope.onTimeout('a line typed into your program never arrived as a signed chat message', {
      expected: 'a signed message from your node with the line typed on stdin',
      seen: () => `typed "${typed.at(-1) ?? ''}"; ${lastOutput(run)}`
    })
    const arrived = chat.waitFor(m => typed.includes(m.text), scope.signal, node.peerId, unsignedFailure)
    await repeatUntil(async () => {
      const line = `typed on stdin ${freshValue()}`
      typed.push(line)
      run.program?.writeLine(line)
    }, arrived, scope.signal)
    const { message } = await arrived
    if (!message.from.equals(nodePeer)) fail(`the message was signed by ${shortPeerId(message.from.toString())}, not by your node.`, { expected: node.peerId, seen: message.from.toString() })
    scope.detail(`signed by ${shortPeerId(message.from.toString())}`)
  })
}

/** The checker's gossipsub refused a message from the node: almost always a missing signature. */
function unsignedFailure (rejection: Rejection): StepFailure {
  return new StepFailure('the checker received a message from your node but had to drop it: it was not signed. Set globalSignaturePolicy: StrictSign in gossipsub().', {
    expected: 'a signed message (StrictSign)',
    seen: `rejected by gossipsub: ${rejection.why}`
  })
}

/** The program's own words often explain a silent failure, e.g. "(not sent: …)". */
function lastOutput (run: CheckRun, ignore?: string): string {
  const last = run.program?.lines.findLast(line => ignore == null || !line.text.includes(ignore))?.text
  return last == null ? 'your program printed nothing' : `your program last printed "${last.length > 100 ? `${last.slice(0, 99)}…` : last}"`
}

function freshValue (): string {
  return randomBytes(8).toString('hex')
}

function isSubscribed (subscribers: PeerId[], peer: PeerId): boolean {
  return subscribers.some(p => p.equals(peer))
}

async function pause (ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new Error('aborted')
  await new Promise(resolve => setTimeout(resolve, ms))
}

/** Poll a condition that no event reports cheaply. */
async function until (condition: () => boolean, signal: AbortSignal): Promise<void> {
  while (!condition()) await pause(10, signal)
}

/** Act now, then again every RETRY_MS, until `done` (a condition or a promise) holds. */
async function repeatUntil (act: () => Promise<void>, done: (() => boolean) | Promise<unknown>, signal: AbortSignal): Promise<void> {
  let settled = false
  // A rejected promise also ends the repeats; the step then awaits it and fails with its error.
  if (typeof done !== 'function') done.then(() => { settled = true }, () => { settled = true })
  const isDone = typeof done === 'function' ? done : () => settled
  while (!isDone()) {
    if (signal.aborted) throw new Error('aborted')
    await act()
    const deadline = performance.now() + RETRY_MS
    while (!isDone() && performance.now() < deadline && !signal.aborted) {
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }
}
