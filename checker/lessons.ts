/**
 * The one metadata source for the workshop: each entry of the lesson catalogue
 * (lessons/catalogue.ts: id, title, summary, topics, files) with the steps,
 * time limits, hints and check that judge it. Everything the commands show or
 * do (the lesson list, the file to edit, the transcript's step names, hints,
 * resets, the lesson maps) comes from here.
 *
 * Adding a lesson: see docs/workshop.md, "Adding a lesson". The tests pick it up.
 */
import { catalogue } from '../lessons/catalogue.ts'
import type { LessonMeta, StepMeta } from './lesson-types.ts'

/** A catalogue entry (id, title, summary, topics, files) with what judges it. */
function lesson (id: string, judged: Omit<LessonMeta, keyof (typeof catalogue)[number]>): LessonMeta {
  const entry = catalogue.find(candidate => candidate.id === id)
  if (entry == null) throw new Error(`lesson ${id} is not in lessons/catalogue.ts`)
  return { ...entry, ...judged }
}

/** Every lesson starts its program; the same step, the same hints. `{file}` is the program checked. */
const start: StepMeta = {
  title: 'start the program',
  timeoutMs: 10_000,
  hints: [
    'The checker runs your file with tsx and waits for it to print its multiaddrs, one per line (e.g. `/ip4/127.0.0.1/tcp/40123/p2p/12D3KooW…`). Run it yourself to see what it prints: `npx tsx {file}`.',
    'Print every address of the started node, each with its `/p2p/` part, and keep running: don\'t call `node.stop()` and don\'t end the process; the checker talks to your node after it printed them.\n```ts\nfor (const addr of node.getMultiaddrs()) console.log(addr.toString())\n```',
    'If it crashes, the first line of the error names the file and line. Keep `import \'../../mesh/compat.ts\'` as the first line of the file.'
  ]
}

/** Step `lesson-N` of every later lesson: what lesson N established still holds. */
function stillHolds (lesson: number, what: string): StepMeta {
  const id = catalogue[lesson - 1]?.id ?? ''
  return {
    title: `lesson ${lesson} still holds: ${what}`,
    // Several dials and streams: fast when it passes, only a failure waits this out.
    timeoutMs: 5_000,
    hints: [
      `The message names what lesson ${lesson} taught and your node no longer does. Your node grows from lesson to lesson: an edit for this lesson undid part of an earlier one.`,
      `Check this file against lesson ${lesson} alone, for its own steps and hints: \`npm run check -- --file {file} ${lesson}\`. Compare with that lesson's solution: \`git diff --no-index solutions/${id}/node.ts {file}\`.`
    ]
  }
}

export const lessons: LessonMeta[] = [
  lesson('01-identity-and-transports', {
    check: async () => await import('./checks/01-identity-and-transports.ts'),
    starterFailsAt: 'identity',
    steps: {
      start,
      identity: {
        title: 'peer id comes from LLMESH_KEY_FILE',
        timeoutMs: 1_000,
        hints: [
          'Your node has a new identity: your peer id is derived from your private key, and the checker wrote a key to the file named in `process.env.LLMESH_KEY_FILE`. Your node must load that key, not make a new one.',
          'In `loadOrCreateKey(file)`: read the file and decode it with `privateKeyFromProtobuf` (from `@libp2p/crypto/keys`). Only when reading fails with the error code `ENOENT` (no such file) fall through to generating a key.',
          'The whole body of `loadOrCreateKey(file)`, replacing the `return await generateKeyPair(\'Ed25519\')` line:\n```ts\ntry {\n  return privateKeyFromProtobuf(await readFile(file))\n} catch (err) {\n  if ((err as NodeJS.ErrnoException).code !== \'ENOENT\') throw err\n}\nconst key = await generateKeyPair(\'Ed25519\')\nawait mkdir(dirname(file), { recursive: true })\nawait writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })\nreturn key\n```'
        ]
      },
      'saved-key': {
        title: 'a new key is saved (0600) and reused after a restart',
        // A whole restart of the program: a second start step, and then some.
        timeoutMs: 15_000,
        hints: [
          'The checker also starts your program where LLMESH_KEY_FILE does not exist yet (nor its folder), then starts it again: the second start must find the key the first one saved, and come back with the same peer id. The message says which part failed.',
          'After generating a key, create the folder (`mkdir` with `recursive: true`) and write `privateKeyToProtobuf(key)` to the file with `writeFile`. A private key is a secret: pass `{ mode: 0o600 }` so only you can read the file.',
          'The end of `loadOrCreateKey(file)`, after the `try { … } catch { … }` that loads an existing file:\n```ts\nconst key = await generateKeyPair(\'Ed25519\')\nawait mkdir(dirname(file), { recursive: true })\nawait writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })\nreturn key\n```'
        ]
      },
      tcp: {
        title: 'dial the TCP address',
        timeoutMs: 3_000,
        hints: [
          'The checker dials the `/tcp/` address you printed and expects your node there, on the port in `process.env.LLMESH_TCP_PORT` (the variable `tcpPort` in the starter).',
          'A listen address is a multiaddr: `/ip4/127.0.0.1/tcp/<port>`. Put one with the checker\'s port in `addresses.listen`, and keep `tcp()` in `transports`.',
          'Keep a connection encrypter (`plaintext()` in this lesson): without one nobody can finish a connection to your node.'
        ]
      },
      websockets: {
        title: 'dial the WebSocket address',
        timeoutMs: 3_000,
        hints: [
          'Browsers cannot open TCP sockets, so the node also listens on WebSockets: the checker dials the `/ws` address you printed, on the port in `process.env.LLMESH_WS_PORT`.',
          'A WebSocket listen address is the TCP one with `/ws` at the end, and it needs its own transport: `webSockets()` from `@libp2p/websockets`.',
          'Both listen addresses and both transports:\n```ts\naddresses: { listen: [`/ip4/127.0.0.1/tcp/${tcpPort}`, `/ip4/127.0.0.1/tcp/${wsPort}/ws`] },\ntransports: [tcp(), webSockets()],\n```'
        ]
      }
    }
  }),
  lesson('02-secure-channel-and-muxing', {
    check: async () => await import('./checks/02-secure-channel-and-muxing.ts'),
    starterFailsAt: 'noise',
    steps: {
      start,
      'lesson-1': stillHolds(1, 'key file identity, TCP and WebSockets'),
      noise: {
        title: 'secure channel is Noise, and only Noise',
        timeoutMs: 2_000,
        hints: [
          'Right after the TCP connection, both sides agree on a secure channel with multistream-select. The checker proposes `/noise`, which your node must accept, then (on a second connection) only `/plaintext/2.0.0`, which it must refuse.',
          'Connection encrypters are listed in `connectionEncrypters`; Noise comes from `@libp2p/noise`. Take plaintext out of that list and its import out of the file: a node that still offers plaintext can be talked into it by a peer that prefers it.',
          'The option:\n```ts\nconnectionEncrypters: [noise()],\n```'
        ]
      },
      yamux: {
        title: 'noise handshake and yamux',
        timeoutMs: 3_000,
        hints: [
          'After the Noise handshake both sides pick a stream muxer; the checker offers `/yamux/1.0.0`. Without a muxer a connection carries only one conversation.',
          'Muxers are listed in the `streamMuxers` option of `createLibp2p`; Yamux comes from `@libp2p/yamux`.',
          'The option:\n```ts\nstreamMuxers: [yamux()],\n```'
        ]
      },
      ping: {
        title: 'ping',
        timeoutMs: 3_000,
        hints: [
          'Ping is a protocol on its own stream: your node must accept `/ipfs/ping/1.0.0` and send back the 32 bytes it gets. The message says whether the protocol was refused or never answered.',
          'libp2p\'s protocols beyond the basics are *services*: the `services` option of `createLibp2p`, one named entry each. Ping is `ping()` from `@libp2p/ping`, with its default protocol id.',
          'The option (identify joins it in the next step):\n```ts\nservices: { ping: ping() },\n```'
        ]
      },
      identify: {
        title: 'identify record',
        timeoutMs: 3_000,
        hints: [
          'The checker asks your node who it is over `/ipfs/id/1.0.0` and expects exactly the agent version `llmesh/0.1.0 terminal (node)` and identify and ping among its protocols. The message says what it saw.',
          'Identify is a service too, `identify()` from `@libp2p/identify`. The agent version is `nodeInfo.userAgent`; `llmeshAgentVersion(role, runtime)` in `mesh/protocol.ts` writes it, and your node is a `terminal` running in `node`.',
          'The options:\n```ts\nnodeInfo: { userAgent: llmeshAgentVersion(\'terminal\', \'node\') },\nservices: { identify: identify(), ping: ping() },\n```'
        ]
      },
      echo: {
        title: 'your /llmesh/echo/1.0.0 protocol, two streams at once',
        timeoutMs: 3_000,
        hints: [
          'The checker opens two `/llmesh/echo/1.0.0` streams on one connection, sends bytes on both, interleaved, and closes its side of each: each stream must get back exactly its own bytes, then the end of the stream. The message says what came back.',
          '`node.handle(protocol, handler)` registers a protocol; the handler gets the `stream` (and the connection). A stream is an async iterable of the chunks the remote sends, ending when it closes its side; `stream.send(chunk)` writes, `await stream.close()` ends your side. See `StreamHandler` and `Stream` in `node_modules/@libp2p/interface`.',
          'After `createLibp2p`:\n```ts\nawait node.handle(ECHO_PROTOCOL, async (stream) => {\n  for await (const chunk of stream) stream.send(chunk)\n  await stream.close()\n})\n```'
        ]
      }
    }
  }),
  lesson('03-gossipsub-chat', {
    check: async () => await import('./checks/03-gossipsub-chat.ts'),
    starterFailsAt: 'subscribe',
    steps: {
      start,
      'lesson-1': stillHolds(1, 'key file identity, TCP and WebSockets'),
      'lesson-2': stillHolds(2, 'Noise only, Yamux, ping, identify, echo'),
      connect: {
        title: 'your node dials the checker',
        timeoutMs: 3_000,
        hints: [
          'Your node never connected to the checker: its address is in `process.env.LLMESH_PEERS`, and the starter already dials every address in it. Did that code survive your edits?',
          'Your node needs Noise and Yamux from lesson 2 to connect: compare your `createLibp2p` options with the lesson 2 solution.'
        ]
      },
      subscribe: {
        title: 'subscribes to the chat topic',
        timeoutMs: 3_000,
        hints: [
          'Peers tell each other which topics they are subscribed to as soon as they connect. The checker has not heard of a subscription from your node to `universal-connectivity` (the message says what it heard instead).',
          'Subscribing needs the GossipSub service, `gossipsub()` from `@libp2p/gossipsub`, under the name `pubsub` in `services`, with the options the starter\'s TODO names; then `node.services.pubsub.subscribe()` with the topic `CHAT_TOPIC` from `mesh/protocol.ts`. Gossipsub learns which peers speak it from identify, so keep identify.',
          'The service and the subscription:\n```ts\npubsub: gossipsub({ globalSignaturePolicy: StrictSign, msgIdFn: chatMessageId })\n```\n```ts\nnode.services.pubsub.subscribe(CHAT_TOPIC)\n```'
        ]
      },
      receive: {
        title: 'prints a chat message',
        timeoutMs: 3_000,
        hints: [
          'The checker published a chat message with a random word in it; your node must print the message\'s text.',
          'Gossipsub emits a `message` event for each message; `event.detail` has `topic`, `type` (`signed` for a signed message), `from` and `data`, UTF-8 bytes to decode with a `TextDecoder`. Messages are signed: both sides use `globalSignaturePolicy: StrictSign`, or they drop each other\'s messages.',
          'The listener:\n```ts\nnode.services.pubsub.addEventListener(\'message\', (event) => {\n  const message = event.detail\n  if (message.topic !== CHAT_TOPIC || message.type !== \'signed\') return\n  const text = decoder.decode(message.data)\n  console.log(`${message.from}: ${text}`)\n})\n```'
        ]
      },
      nonce: {
        title: 'answers /nonce',
        timeoutMs: 3_000,
        hints: [
          'The checker published `/nonce <value>`; your node must publish exactly `nonce <value> <its own peer id>` on the chat topic: one space between the parts, nothing before or after. The message shows what arrived, if anything did.',
          'In your message listener, match the text against a regular expression for `/nonce <value>` and publish the answer with `node.services.pubsub.publish(CHAT_TOPIC, …)`; your peer id is `node.peerId`.',
          'In the listener, after printing:\n```ts\nconst nonce = /^\\/nonce (\\S+)$/.exec(text)?.[1]\nif (nonce != null) void say(`nonce ${nonce} ${node.peerId}`)\n```\nwhere `say` publishes and catches, as in the next step.'
        ]
      },
      publish: {
        title: 'publishes a line typed on stdin',
        timeoutMs: 3_000,
        hints: [
          'The checker typed a line into your program\'s stdin and waits for exactly that line as a signed chat message from your node.',
          'The starter already reads stdin line by line (`createInterface(…).on(\'line\', …)`); publish each line as UTF-8 bytes with `node.services.pubsub.publish(CHAT_TOPIC, …)`. With `globalSignaturePolicy: StrictSign` gossipsub signs it with your node\'s key; that signature is what the checker verifies.',
          'One function for every message your node sends:\n```ts\nasync function say (text: string): Promise<void> {\n  try {\n    await node.services.pubsub.publish(CHAT_TOPIC, encoder.encode(text))\n  } catch (err) {\n    console.log(`(not sent: ${(err as Error).message})`)\n  }\n}\n```\nand in the line handler: `if (line.trim() !== \'\') void say(line)`.'
        ]
      },
      'early-line': {
        title: 'a line typed before anyone listens is reported',
        timeoutMs: 10_000,
        hints: [
          'The checker also starts your program with no peers at all and types two lines into it. Publishing with nobody subscribed fails (`PublishError.NoPeersSubscribedToTopic`); your node must print that, and keep running.',
          '`publish()` returns a promise that rejects when nobody is subscribed. A rejection nobody catches ends a Node program: `await` it inside `try { … } catch (err) { … }` and print the error.',
          'The `say` function of the previous step catches it:\n```ts\ntry {\n  await node.services.pubsub.publish(CHAT_TOPIC, encoder.encode(text))\n} catch (err) {\n  console.log(`(not sent: ${(err as Error).message})`)\n}\n```'
        ]
      }
    }
  }),
  lesson('04-finding-peers', {
    check: async () => await import('./checks/04-finding-peers.ts'),
    starterFailsAt: 'discover',
    steps: {
      start,
      'lesson-1': stillHolds(1, 'key file identity, TCP and WebSockets'),
      'lesson-2': stillHolds(2, 'Noise only, Yamux, ping, identify, echo'),
      'lesson-3': stillHolds(3, 'joins the bootstrap peer\'s chat, answers /nonce'),
      discover: {
        title: 'dials a peer announced on the discovery topic',
        timeoutMs: 3_000,
        hints: [
          'Your node knows one address, the bootstrap peer in `LLMESH_PEERS`. That peer announced a second peer on `universal-connectivity-browser-peer-discovery`; your node must listen on that topic and dial the peer it hears about. The message says whether your node was not listening, listened on another topic, or heard and did not dial.',
          'Listening is a *peer discovery* module in the `peerDiscovery` option of `createLibp2p`: `pubsubPeerDiscovery()` from `@libp2p/pubsub-peer-discovery`, with `topics` set to `PEER_DISCOVERY_TOPIC` from `mesh/protocol.ts` (it rides on your `pubsub` service). libp2p then emits `peer:discovery` on the node for each peer it hears of, and dials nothing by itself: add a listener that dials `event.detail.id`.',
          'The option and the listener:\n```ts\npeerDiscovery: [pubsubPeerDiscovery({ topics: [PEER_DISCOVERY_TOPIC] })],\n```\n```ts\nnode.addEventListener(\'peer:discovery\', (event) => {\n  const peer = event.detail.id\n  if (node.getConnections(peer).length > 0) return\n  node.dial(peer).then(\n    () => { console.log(`discovered and joined ${peer}`) },\n    (err: Error) => { console.log(`discovered ${peer}, could not reach it: ${err.message}`) }\n  )\n})\n```'
        ]
      },
      'find-peer': {
        title: 'finds the peer typed after /find in the DHT and dials it',
        timeoutMs: 6_000,
        hints: [
          'The checker typed `/find <peer id>` on your program\'s stdin. Only the bootstrap peer\'s DHT knows where that peer is: your node must run the same DHT (LLMesh\'s LAN DHT, `/ipfs/lan/kad/1.0.0`), ask it, and dial the answer. It does so twice; the second time your node already knows the peer. The message says which part was missing.',
          'The DHT is a service, `kadDHT()` from `@libp2p/kad-dht`, named `dht`, with `protocol: LAN_DHT_PROTOCOL` (from `mesh/protocol.ts`) and `peerInfoMapper: removePublicAddressesMapper`. Then `node.peerRouting.findPeer(peerIdFromString(text))` asks it and resolves to the peer\'s id and addresses; `node.dial(peer.id)` connects. The `peer:discovery` listener alone is not enough: it fires only the first time your node hears of a peer.',
          'The service, and a function the stdin handler calls for `/find <peer id>` lines:\n```ts\ndht: kadDHT({ protocol: LAN_DHT_PROTOCOL, peerInfoMapper: removePublicAddressesMapper, clientMode: false })\n```\n```ts\nasync function find (text: string): Promise<void> {\n  try {\n    const peer = await node.peerRouting.findPeer(peerIdFromString(text))\n    console.log(`found ${peer.id} at ${peer.multiaddrs.join(\' \')}`)\n    await node.dial(peer.id)\n    console.log(`connected to ${peer.id}`)\n  } catch (err) {\n    console.log(`(could not find ${text}: ${(err as Error).message})`)\n  }\n}\n```\nand in the line handler:\n```ts\nconst wanted = /^\\/find (\\S+)$/.exec(line.trim())?.[1]\nif (wanted != null) void find(wanted)\nelse if (line.trim() !== \'\') void say(line)\n```'
        ]
      },
      'serve-dht': {
        title: 'answers DHT queries for the peers it knows',
        timeoutMs: 3_000,
        hints: [
          'A fourth checker peer connected to your node; then the bootstrap peer asked your node\'s DHT where that peer is. A DHT only works if its members answer: your node must serve `/ipfs/lan/kad/1.0.0`, not just ask.',
          'kad-dht starts in *client mode* unless told otherwise: it asks, and does not even announce the protocol. On a LAN every peer is dialable, so LLMesh peers run it as a server: `clientMode: false` in `kadDHT({ … })`.',
          'The service, as Alien X runs it (`mesh/node-options.ts`):\n```ts\ndht: kadDHT({\n  protocol: LAN_DHT_PROTOCOL,\n  peerInfoMapper: removePublicAddressesMapper,\n  clientMode: false\n})\n```'
        ]
      }
    }
  }),
  lesson('05-circuit-relay', {
    check: async () => await import('./checks/05-circuit-relay.ts'),
    starterFailsAt: 'reserve',
    steps: {
      start,
      'lesson-1': stillHolds(1, 'key file identity, TCP and WebSockets'),
      'lesson-2': stillHolds(2, 'Noise only, Yamux, ping, identify, echo'),
      'lesson-3': stillHolds(3, 'joins the bootstrap peer\'s chat, answers /nonce'),
      'lesson-4': stillHolds(4, 'discovery dial, DHT lookup, DHT server'),
      reserve: {
        title: 'reserves a slot on the relay and prints its /p2p-circuit address',
        timeoutMs: 5_000,
        hints: [
          'The checker runs a relay and put its address in `LLMESH_RELAY`. Your node must connect to it, ask it for a *reservation*, and print the address that reservation gives it: `<relay address>/p2p-circuit/p2p/<your peer id>`. The message says which part is missing: the connection, the relay transport, the reservation, or the printed address.',
          'Three pieces: the transport `circuitRelayTransport()` from `@libp2p/circuit-relay-v2` in `transports`; `\'/p2p-circuit\'` in `addresses.listen`, which tells that transport to reserve a slot on the relays your node meets; and a dial to `LLMESH_RELAY` at start. The relayed address exists only once the relay said yes, after your node printed its first addresses: print `node.getMultiaddrs()` again on the node\'s `self:peer:update` event (it fires up to a second after the change).',
          'The pieces:\n```ts\naddresses: { listen: [`/ip4/127.0.0.1/tcp/${tcpPort}`, `/ip4/127.0.0.1/tcp/${wsPort}/ws`, \'/p2p-circuit\'] },\ntransports: [tcp(), webSockets(), circuitRelayTransport()],\n```\n```ts\nconst printed = new Set<string>()\nfunction printAddresses (): void {\n  for (const addr of node.getMultiaddrs()) {\n    if (printed.has(addr.toString())) continue\n    printed.add(addr.toString())\n    console.log(addr.toString())\n  }\n}\nprintAddresses()\nnode.addEventListener(\'self:peer:update\', printAddresses)\n\nif (relay !== \'\') {\n  node.dial(multiaddr(relay)).then(\n    () => { console.log(`reached the relay ${relay}, asking for a reservation`) },\n    (err: Error) => { console.log(`could not reach the relay ${relay}: ${err.message}`) }\n  )\n}\n```'
        ]
      },
      'relayed-ping': {
        title: 'a peer that can reach it only through the relay dials and pings it',
        timeoutMs: 3_000,
        hints: [
          'A checker peer that may dial nothing but `/p2p-circuit` addresses dialed the address your node printed, through the relay, and pinged your node over that connection. The connection must be relayed, with the limits the relay set.',
          'Ping runs on limited connections by default; if yours does not answer here, look for `runOnLimitedConnection: false` in `ping()`\'s options, and check that the address you print is the one `node.getMultiaddrs()` gives you.'
        ]
      },
      'relayed-chat': {
        title: 'chats over the limited connection: answers /nonce through the relay',
        timeoutMs: 3_000,
        hints: [
          'Over the relayed connection the checker\'s peer subscribed to the chat and sent `/nonce <value>`; your node must answer it as in lesson 3. A relayed connection is *limited*: libp2p runs a protocol over it only if that protocol says it may.',
          'GossipSub refuses limited connections unless told otherwise: set `runOnLimitedConnection: true` in the options you pass to `gossipsub()`. Chat messages are small, which is what a relay\'s data limit is for.',
          'The service:\n```ts\npubsub: gossipsub({\n  globalSignaturePolicy: StrictSign,\n  msgIdFn: chatMessageId,\n  runOnLimitedConnection: true\n}),\n```'
        ]
      },
      'relay-server': {
        title: 'relays between two checker peers (LLMESH_RELAY_SERVER=1)',
        timeoutMs: 3_000,
        hints: [
          'The checker started your node with `LLMESH_RELAY_SERVER=1`. One checker peer then asked your node for a reservation, and a second one dialed `<your address>/p2p-circuit/p2p/<first peer>` and pinged it: your node must be the relay between them.',
          'A relay is a service: `circuitRelayServer()` from `@libp2p/circuit-relay-v2`, under a name of your choice in `services`, added only when `process.env.LLMESH_RELAY_SERVER` is `1` (relaying costs your bandwidth).',
          'In `services`, after the DHT:\n```ts\n...(relayServer ? { relay: circuitRelayServer() } : {})\n```\nwith `const relayServer = process.env.LLMESH_RELAY_SERVER === \'1\'` near the other variables.'
        ]
      }
    }
  })
]
