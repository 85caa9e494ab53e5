/**
 * What the checker hands the learner's program, as environment variables:
 *
 *   LLMESH_TCP_PORT  listen on /ip4/127.0.0.1/tcp/<port>
 *   LLMESH_WS_PORT   listen on /ip4/127.0.0.1/tcp/<port>/ws
 *   LLMESH_KEY_FILE  load the node's private key from this file (protobuf, as
 *                    written by privateKeyToProtobuf); the checker wrote a fresh
 *                    key there and knows the peer id it must see
 *   LLMESH_PEERS     (lesson 3 on) multiaddrs to dial at start, space-separated
 *   LLMESH_RELAY     (lesson 5 on) a relay to reserve a slot on
 *   LLMESH_RELAY_SERVER  (lesson 5 on) `1`: serve as a relay
 *
 * The ports and the key are the same for every lesson and made here; the
 * lesson-specific ones come from the check (e.g. checks/circuit-relay.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { freePorts } from '../../mesh/free-ports.ts'
import { removeOnExit } from './process-registry.ts'

export interface LearnerEnv {
  tcpPort: number
  wsPort: number
  keyFile: string
  /** The peer id that belongs to the key in keyFile. */
  peerId: string
  vars: Record<string, string>
  dispose: () => Promise<void>
}

export async function prepareLearnerEnv (): Promise<LearnerEnv> {
  const [dir, ports, key] = await Promise.all([
    mkdtemp(join(tmpdir(), 'llmesh-check-')),
    freePorts(2),
    generateKeyPair('Ed25519')
  ])
  const [tcpPort = 0, wsPort = 0] = ports
  const forget = removeOnExit(dir)
  const keyFile = join(dir, 'node.key')
  await writeFile(keyFile, privateKeyToProtobuf(key), { mode: 0o600 })
  return {
    tcpPort,
    wsPort,
    keyFile,
    peerId: peerIdFromPrivateKey(key).toString(),
    vars: {
      LLMESH_TCP_PORT: String(tcpPort),
      LLMESH_WS_PORT: String(wsPort),
      LLMESH_KEY_FILE: keyFile
    },
    dispose: async () => {
      await rm(dir, { recursive: true, force: true })
      forget()
    }
  }
}
