/**
 * A persistent Ed25519 identity: the same key file gives the same peer id (and so
 * the same multiaddrs) after a restart.
 */
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

export interface LoadedIdentity {
  privateKey: PrivateKey
  /** True when the key file did not exist and was just written. */
  created: boolean
}

export async function loadOrCreateIdentity (keyFile: string): Promise<LoadedIdentity> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(keyFile)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes != null) {
    try {
      return { privateKey: privateKeyFromProtobuf(bytes), created: false }
    } catch (err) {
      throw new Error(`the key file ${keyFile} is not a libp2p private key (${(err as Error).message}); move it away to create a new identity`)
    }
  }
  const privateKey = await generateKeyPair('Ed25519')
  await mkdir(dirname(keyFile), { recursive: true })
  await writeFile(keyFile, privateKeyToProtobuf(privateKey), { mode: 0o600 })
  await chmod(keyFile, 0o600)
  return { privateKey, created: true }
}
