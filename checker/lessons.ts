/**
 * The one metadata source for the workshop. Everything the commands show or do
 * (the lesson list, the file to edit, the transcript's step names, time limits,
 * hints, resets) comes from here.
 *
 * Adding a lesson: create `lessons/NN-name/` (README.md and the starter file(s)),
 * a pristine copy of the starter in `lessons/.NN-name/` (same file names),
 * `solutions/NN-name/` with the same file names, a check in
 * `checker/checks/NN-name.ts`, and one entry below. The tests pick it up.
 */
import { catalogue } from '../lessons/catalogue.ts'
import type { LessonMeta, StepMeta } from './lesson-types.ts'

/** A catalogue entry (id, title, summary, topics, files) with what judges it. */
function lesson (id: string, judged: Omit<LessonMeta, keyof (typeof catalogue)[number]>): LessonMeta {
  const entry = catalogue.find(candidate => candidate.id === id)
  if (entry == null) throw new Error(`lesson ${id} is not in lessons/catalogue.ts`)
  return { ...entry, ...judged }
}

/** Every lesson starts its program; the same step, the same hints. */
const start: StepMeta = {
  title: 'start the program',
  timeoutMs: 10_000,
  hints: [
    'The checker runs your file with tsx and waits for it to print its multiaddrs, one per line (e.g. `/ip4/127.0.0.1/tcp/40123/p2p/12D3KooW…`). Run it yourself to see what it prints: `npx tsx lessons/<lesson>/node.ts`.',
    'Print every address of the started node: `for (const addr of node.getMultiaddrs()) console.log(addr.toString())`. Don\'t call `node.stop()` and don\'t end the process: the checker talks to your node after it printed them.',
    'If it crashes, the first line of the error names the file and line. Keep `import \'../../mesh/compat.ts\'` as the first line of the file.'
  ]
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
          'Your peer id is derived from your private key. The checker wrote a key to the file named in `process.env.LLMESH_KEY_FILE`; your node must use that key, not a new one.',
          'Read the file and decode it: `privateKeyFromProtobuf(await readFile(keyFile))` from `@libp2p/crypto/keys`, then pass it as `privateKey` to `createLibp2p`. Only when the file does not exist (ENOENT), generate a key with `generateKeyPair(\'Ed25519\')` and save it with `privateKeyToProtobuf`.',
          'The whole body of `loadOrCreateKey(file)`, replacing the `return await generateKeyPair(\'Ed25519\')` line:\n`try { return privateKeyFromProtobuf(await readFile(file)) } catch (err) { if ((err as NodeJS.ErrnoException).code !== \'ENOENT\') throw err }`\n`const key = await generateKeyPair(\'Ed25519\')`\n`await mkdir(dirname(file), { recursive: true })`\n`await writeFile(file, privateKeyToProtobuf(key), { mode: 0o600 })`\n`return key`'
        ]
      },
      tcp: {
        title: 'dial the TCP address',
        timeoutMs: 3_000,
        hints: [
          'The checker dials the `/tcp/` address you printed and expects your node there, on the port in `process.env.LLMESH_TCP_PORT`.',
          'Listen on `/ip4/127.0.0.1/tcp/${process.env.LLMESH_TCP_PORT}` in `addresses.listen`, with `tcp()` in `transports`.',
          'Keep `connectionEncrypters: [plaintext()]` for now: without a connection encrypter nobody can finish a connection to your node.'
        ]
      },
      websockets: {
        title: 'dial the WebSocket address',
        timeoutMs: 3_000,
        hints: [
          'Browsers cannot open TCP sockets, so the node also listens on WebSockets: the checker dials the `/ws` address you printed.',
          'Add `webSockets()` (from `@libp2p/websockets`) to `transports` and listen on `/ip4/127.0.0.1/tcp/${process.env.LLMESH_WS_PORT}/ws`.'
        ]
      }
    }
  }),
  lesson('02-secure-channel-and-muxing', {
    check: async () => await import('./checks/02-secure-channel-and-muxing.ts'),
    starterFailsAt: 'noise',
    steps: {
      start,
      dial: {
        title: 'dial the TCP address',
        timeoutMs: 2_000,
        hints: [
          'The checker opens a TCP connection to the `/tcp/` address you printed, on the port in `process.env.LLMESH_TCP_PORT`. Lesson 1\'s listen addresses still apply.',
          'Compare your `addresses.listen` with the solution of lesson 1.'
        ]
      },
      noise: {
        title: 'secure channel is Noise',
        timeoutMs: 2_000,
        hints: [
          'Right after the TCP connection, both sides agree on a secure channel with multistream-select. The checker proposes `/noise`, which your node must accept, then (on a second connection) only `/plaintext/2.0.0`, which it must refuse.',
          'Replace `plaintext()` with `noise()` from `@libp2p/noise`: `connectionEncrypters: [noise()]`.',
          'Remove the `@libp2p/plaintext` import too: a node that still offers plaintext can be talked into it by a peer that prefers it.'
        ]
      },
      yamux: {
        title: 'noise handshake and yamux',
        timeoutMs: 3_000,
        hints: [
          'After the Noise handshake both sides pick a stream muxer; the checker offers `/yamux/1.0.0`. Without a muxer a connection carries only one conversation.',
          'Add `streamMuxers: [yamux()]` (from `@libp2p/yamux`) to your `createLibp2p` options.'
        ]
      },
      ping: {
        title: 'ping',
        timeoutMs: 3_000,
        hints: [
          'Ping is a protocol on its own stream: your node must offer `/ipfs/ping/1.0.0`.',
          'Add a services object: `services: { ping: ping() }` with `ping` from `@libp2p/ping`.'
        ]
      },
      identify: {
        title: 'identify record',
        timeoutMs: 3_000,
        hints: [
          'The checker asks your node who it is over `/ipfs/id/1.0.0` and expects an agent version that names LLMesh and lists identify and ping among its protocols.',
          'Add `identify: identify()` (from `@libp2p/identify`) to `services`, and set `nodeInfo: { userAgent: llmeshAgentVersion(\'terminal\', \'node\') }` with `llmeshAgentVersion` from `mesh/protocol.ts`.'
        ]
      }
    }
  }),
  lesson('03-gossipsub-chat', {
    check: async () => await import('./checks/03-gossipsub-chat.ts'),
    starterFailsAt: 'subscribe',
    steps: {
      start,
      connect: {
        title: 'your node dials the checker',
        timeoutMs: 3_000,
        hints: [
          'The checker puts its own multiaddr in `process.env.LLMESH_PEERS`; the starter already dials every address in it. Did that code survive your edits?',
          'Your node needs Noise and Yamux from lesson 2 to connect: compare your `createLibp2p` options with the lesson 2 solution.'
        ]
      },
      subscribe: {
        title: 'subscribes to the chat topic',
        timeoutMs: 3_000,
        hints: [
          'Peers tell each other which topics they are subscribed to as soon as they connect. The checker has not heard of a subscription from your node to `universal-connectivity`.',
          'Add the GossipSub service, `pubsub: gossipsub({ globalSignaturePolicy: StrictSign, msgIdFn: chatMessageId })`, to `services`, then call `node.services.pubsub.subscribe(CHAT_TOPIC)`.',
          'Gossipsub learns which peers speak it from identify: keep `identify: identify()` in `services` too.'
        ]
      },
      receive: {
        title: 'prints a chat message',
        timeoutMs: 3_000,
        hints: [
          'The checker published a chat message with a random word in it; your node must print the message\'s text.',
          'Listen for messages: `node.services.pubsub.addEventListener(\'message\', (event) => { … })`; `event.detail.data` holds UTF-8 bytes: decode them with a `TextDecoder` and `console.log` them.',
          'Messages are signed: both sides must use `globalSignaturePolicy: StrictSign`, or they drop each other\'s messages.'
        ]
      },
      nonce: {
        title: 'answers /nonce',
        timeoutMs: 3_000,
        hints: [
          'The checker published `/nonce <value>`; your node must publish `nonce <value> <its own peer id>` on the chat topic.',
          'In your message listener: `const nonce = /^\\/nonce (\\S+)$/.exec(text)?.[1]`, and when it is set, publish `` `nonce ${nonce} ${node.peerId}` ``.'
        ]
      },
      publish: {
        title: 'publishes a line typed on stdin',
        timeoutMs: 3_000,
        hints: [
          'The checker typed a line into your program\'s stdin and waits for it as a signed chat message from your node.',
          'Read stdin line by line with `createInterface({ input: process.stdin }).on(\'line\', …)` and publish each line: `await node.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(line))`.',
          'With `globalSignaturePolicy: StrictSign` gossipsub signs what you publish with your node\'s key; that signature is what the checker verifies.'
        ]
      }
    }
  })
]
