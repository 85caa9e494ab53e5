/**
 * Figure 3: a peer's question → the first streamed chunk of the agent's answer at
 * the peer, with a local server speaking Ollama's /api/chat NDJSON that answers at
 * once; the baseline is the real `ollama` client calling that server directly.
 * The difference is what the mesh (gossip both ways, the responder, the chain) adds.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ollama } from 'ollama'
import { createLibp2p } from 'libp2p'
import type { Message } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'
import { startFakeOllama } from '../llm/test/fake-llm-servers.ts'
import { nodePeerOptions } from '../../mesh/node-options.ts'
import { installTopicValidators } from '../../mesh/gossip.ts'
import { parseExtensionMessage } from '../../mesh/extension.ts'
import { CHAT_TOPIC, LLMESH_TOPIC } from '../../mesh/protocol.ts'
import { startAgent } from '../agent.ts'
import { now, sleep, summarize, until } from './stats.ts'
import type { Summary } from './stats.ts'

export interface FirstTokenResult { mesh: Summary, direct: Summary, overheadP50: number }

const ANSWER = 'Gossipsub keeps a sparse mesh per topic and gossips message ids to everyone else, so a message reaches all peers quickly without flooding the network.'

export async function measureFirstToken (samples: number): Promise<FirstTokenResult> {
  const dir = await mkdtemp(join(tmpdir(), 'llmesh-bench-ttft-'))
  const ollama = await startFakeOllama({ reply: ANSWER })
  const agent = await startAgent({
    host: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtc: false, mdns: false,
    keyFile: join(dir, 'agent.key'),
    llm: { ollamaHost: ollama.url, model: 'llama3.2' },
    rateBurst: 1e9
  })
  const peer = await createLibp2p(nodePeerOptions({ role: 'browser', listen: [] }))
  try {
    installTopicValidators(peer.services.pubsub)
    peer.services.pubsub.subscribe(CHAT_TOPIC)
    peer.services.pubsub.subscribe(LLMESH_TOPIC)
    await peer.dial(multiaddr(agent.addresses.ws[0]!))
    await until(() => peer.services.pubsub.getSubscribers(LLMESH_TOPIC).length > 0, 10_000)
    await sleep(1200)
    const self = peer.peerId.toString()
    let firstChunk: ((at: number) => void) | undefined
    peer.services.pubsub.addEventListener('message', (event: CustomEvent<Message>) => {
      if (event.detail.topic !== LLMESH_TOPIC) return
      const ext = parseExtensionMessage(event.detail.data)
      if (ext?.type === 'reply' && ext.index === 0 && ext.inReplyTo?.from === self) firstChunk?.(now())
    })

    const client = new Ollama({ host: ollama.url })
    const mesh: number[] = []
    const direct: number[] = []
    for (let i = 0; i < samples; i++) {
      const arrived = new Promise<number | undefined>(resolve => {
        firstChunk = resolve
        setTimeout(() => resolve(undefined), 5000)
      })
      const asked = now()
      await peer.services.pubsub.publish(CHAT_TOPIC, new TextEncoder().encode(`@${agent.name} what is gossipsub? (${i})`))
      const at = await arrived
      if (at != null) mesh.push(at - asked)
      // The rest of the answer (chunks, then the chat message) passes before the next question.
      await sleep(150)

      const started = now()
      const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'what is gossipsub?' }], stream: true })
      for await (const part of stream) {
        if (part.message.content !== '') {
          direct.push(now() - started)
          break
        }
      }
      stream.abort()
      await sleep(20)
    }
    const m = summarize(mesh)
    const d = summarize(direct)
    return { mesh: m, direct: d, overheadP50: m.p50 - d.p50 }
  } finally {
    await peer.stop()
    await agent.stop()
    await ollama.close()
    await rm(dir, { recursive: true, force: true })
  }
}
