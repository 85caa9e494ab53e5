/**
 * Lesson 3: lessons 1 and 2 still hold; the node joins the checker's chat
 * peer, subscribes to the chat topic, prints what it receives, answers
 * `/nonce <value>` with exactly `nonce <value> <its peer id>`, publishes what is
 * typed on its stdin, and, as a second copy with no peers at all, survives a
 * line typed before anyone listens: the order of the lesson's TODOs.
 *
 * Every judgement rides on a fresh random value that only a working node can
 * have seen, so printing the expected lines cannot pass.
 */
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { CHAT_TOPIC } from '../../mesh/protocol.ts'
import type { CheckRun } from '../engine/check-run.ts'
import { freePorts } from '../../mesh/free-ports.ts'
import { openSocket, probeProtocols } from '../engine/multistream-probe.ts'
import type { LearnerProgram } from '../engine/learner-process.ts'
import { shortPeerId } from '../engine/printed-addresses.ts'
import { fail, StepFailure } from '../engine/step-failure.ts'
import { ChatListener } from './chat-listener.ts'
import type { ReceivedMessage } from './chat-listener.ts'
import type { RejectedMessage } from '../../mesh/gossipsub-internals.ts'
import { lesson1Holds, lesson2Holds } from './earlier-lessons.ts'
import { isTopicTypo, nearMissAdvice, quoted } from './near-miss.ts'
import { readPrintedNode, startNode } from './start-node.ts'

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
  const peers = import('../engine/checker-peers.ts')
  // The listener starts with the peer: the node's subscriptions arrive as soon as it connects.
  let chat!: ChatListener
  const starting = peers.then(async peers => {
    const peer = await peers.gossipPeer(key, port)
    peer.addEventListener('peer:identify', (event) => { identified.set(event.detail.peerId.toString(), event.detail.protocols) })
    chat = new ChatListener(peer.services.pubsub)
    peer.services.pubsub.subscribe(CHAT_TOPIC)
    return peer
  })
  const dialing = peers.then(async peers => await peers.dialers())
  starting.catch(() => {}) // a failure surfaces where it is awaited
  dialing.catch(() => {})
  run.defer(async () => { await (await starting).stop() })
  run.defer(async () => { await Promise.all((await dialing).all.map(async dialer => { await dialer.stop() })) })
  let checkerReadyAt = Infinity
  void starting.then(() => { checkerReadyAt = performance.now() }, () => {})
  const lonely = startLonelyNode(run)
  lonely.catch(() => {}) // awaited by its step

  const node = await startNode(run, { LLMESH_PEERS: checkerAddress })
  const nodePeer = peerIdFromString(node.peerId)
  await lesson1Holds(run, node, dialing)
  await lesson2Holds(run, node, dialing)

  const checker = await starting
  // The node dials right after printing its addresses. On a very slow machine the
  // checker's peer may not have been listening yet; then the checker dials instead.
  const firstAddressAt = node.program.startedAt + (node.program.lines.find(line => line.text.includes(node.peerId))?.at ?? 0)
  const checkerWasLate = checkerReadyAt > firstAddressAt - LATE_MARGIN_MS
  const pubsub = checker.services.pubsub
  run.defer(() => { chat.close() })
  const fromNode = (m: ReceivedMessage): boolean => m.message.from.equals(nodePeer)

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
    const topics = (): string[] => chat.subscriptions.get(node.peerId) ?? []
    scope.onTimeout(`the checker has not heard of a subscription from your node to "${CHAT_TOPIC}"`, {
      expected: `${shortPeerId(node.peerId)} among the subscribers of "${CHAT_TOPIC}"`,
      seen: () => topics().length > 0 ? `your node subscribed to ${topics().map(quoted).join(', ')}` : 'no subscription from your node to any topic'
    })
    while (!isSubscribed(pubsub.getSubscribers(CHAT_TOPIC), nodePeer)) {
      const typo = topics().find(topic => isTopicTypo(topic, CHAT_TOPIC))
      if (typo != null) fail(`your node subscribed to ${quoted(typo)}: the chat topic is exactly "${CHAT_TOPIC}" (use CHAT_TOPIC from mesh/protocol.ts).`, { expected: quoted(CHAT_TOPIC), seen: quoted(typo) })
      // Identify tells early whether the node speaks gossipsub at all: no need to wait out the limit.
      const protocols = identified.get(node.peerId)
      if (protocols != null && !protocols.some(p => p.startsWith('/meshsub/'))) {
        fail('the checker has not heard of a subscription from your node: it does not speak GossipSub at all (its identify record lists no /meshsub/… protocol), so add the gossipsub() service as `pubsub`.', {
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
    const refused = (): RejectedMessage | undefined => chat.rejections.find(r => r.from === node.peerId)
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
    // Any message that carries one of the values: the exact form is judged below.
    const answered = chat.waitFor(m => fromNode(m) && nonces.some(nonce => m.text.includes(nonce)), scope.signal, node.peerId, unsignedFailure)
    await repeatUntil(async () => {
      const nonce = freshValue()
      nonces.push(nonce)
      await pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(`/nonce ${nonce}`))
    }, answered, scope.signal)
    const answer = await answered
    const nonce = nonces.find(value => answer.text.includes(value)) ?? ''
    const expected = `nonce ${nonce} ${node.peerId}`
    expectExactly(answer, expected, 'answer')
    scope.detail(`"nonce ${nonce.slice(0, 6)}… ${shortPeerId(node.peerId)}"`)
  })

  await run.step('publish', async (scope) => {
    const typed: string[] = []
    scope.onTimeout('a line typed into your program never arrived as a signed chat message', {
      expected: 'a signed message from your node with the line typed on stdin',
      seen: () => `typed "${typed.at(-1) ?? ''}"; ${lastOutput(run)}`
    })
    const arrived = chat.waitFor(m => fromNode(m) && typed.some(line => m.text.includes(line.slice(-16))), scope.signal, node.peerId, unsignedFailure)
    await repeatUntil(async () => {
      const line = `typed on stdin ${freshValue()}`
      typed.push(line)
      run.program?.writeLine(line)
    }, arrived, scope.signal)
    const message = await arrived
    expectExactly(message, typed.find(line => message.text.includes(line.slice(-16))) ?? '', 'typed line')
    scope.detail(`signed by ${shortPeerId(message.message.from.toString())}`)
  })

  await run.step('early-line', async (scope) => {
    const program = await lonely
    const exited = run.exitOf(program).catch((failure: StepFailure) => {
      const stderr = program.text('stderr')
      if (/NoPeersSubscribedToTopic/.test(stderr)) {
        fail('a line typed while no peer was subscribed crashed your node: publish() threw PublishError.NoPeersSubscribedToTopic. Catch that error and print it instead.', { seen: failure.message })
      }
      return fail(`your node, running with no peers, ended when a line was typed: ${failure.message}`)
    })
    let typed = ''
    scope.onTimeout('your node printed nothing after a line was typed while no peer was subscribed: catch the error publish() throws and print it', {
      seen: () => `typed "${typed}"; ${lastWordsOf(program)}`
    })
    const printed = await Promise.race([readPrintedNode(program, 0, scope.signal), exited])
    for (let i = 0; i < 2; i++) {
      const before = program.lines.length
      typed = `typed before anyone listens ${freshValue()}`
      program.writeLine(typed)
      await Promise.race([until(() => program.lines.length > before, scope.signal), exited])
    }
    // A crash prints lines too (its stack), so the node must still answer on the
    // wire: a dead process refuses the connection, and its exit says why.
    const tcp = printed.addresses.find(a => a.kind === 'tcp')
    try {
      const socket = await openSocket('127.0.0.1', tcp?.port ?? 0, scope.signal)
      await probeProtocols(socket, ['/noise'], scope.signal)
    } catch {
      await exited
      fail('your node stopped answering after lines were typed while no peer was subscribed.')
    }
    scope.detail(`reported: ${quoted(program.lines.at(-1)?.text.slice(0, 50) ?? '')}`)
  })
}

/**
 * A second copy of the program, alone: no LLMESH_PEERS, its own ports and key
 * file. Started at once so it boots with the main one; lines typed into it
 * meet a node with nobody to publish to.
 */
async function startLonelyNode (run: CheckRun): Promise<LearnerProgram> {
  const ports = freePorts(2)
  const started = new Promise<void>((resolve) => { run.whenStarted(resolve) })
  const [[tcp = 0, ws = 0]] = await Promise.all([ports, started])
  return run.startCompanion({
    LLMESH_KEY_FILE: join(dirname(run.env.keyFile), 'lonely', 'node.key'),
    LLMESH_TCP_PORT: String(tcp),
    LLMESH_WS_PORT: String(ws),
    LLMESH_PEERS: ''
  })
}

/** The exact text the lesson asks for, on the chat topic; a near miss says what to change. */
function expectExactly (received: ReceivedMessage, expected: string, what: string): void {
  const details = { expected: quoted(expected), seen: `${quoted(received.text)} on "${received.topic}"` }
  if (received.topic !== CHAT_TOPIC) fail(`your node's ${what} arrived on topic ${quoted(received.topic)}: publish it on "${CHAT_TOPIC}".`, details)
  if (received.text === expected) return
  fail(`received ${quoted(received.text)}: ${nearMissAdvice(expected, received.text)}.`, details)
}

function lastWordsOf (program: LearnerProgram): string {
  const last = program.lines.at(-1)?.text
  return last == null ? 'it printed nothing' : `it last printed ${quoted(last)}`
}

/** The checker's gossipsub refused a message from the node: almost always a missing signature. */
function unsignedFailure (rejection: RejectedMessage): StepFailure {
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
