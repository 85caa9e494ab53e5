/**
 * The browser's libp2p identity, kept in localStorage so a reload keeps the
 * same peer id. Two tabs of the same browser must not share one peer id (the
 * agent would see one peer connect twice), so each open tab holds a Web Lock on
 * an identity "slot" and the next tab takes the next slot.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { fromString, toString } from 'uint8arrays'

const KEY_PREFIX = 'llmesh:identity:'
const MAX_SLOTS = 16

export async function loadBrowserIdentity (storage: Storage = localStorage): Promise<PrivateKey> {
  const slot = await claimSlot()
  const key = `${KEY_PREFIX}${slot}`
  const saved = storage.getItem(key)
  if (saved != null) {
    try {
      return privateKeyFromProtobuf(fromString(saved, 'base64'))
    } catch {
      // A damaged entry is replaced by a fresh identity below.
    }
  }
  const privateKey = await generateKeyPair('Ed25519')
  try {
    storage.setItem(key, toString(privateKeyToProtobuf(privateKey), 'base64'))
  } catch {
    // Storage full or disabled: this tab simply gets a new identity on reload.
  }
  return privateKey
}

/** The first free slot, held until the tab closes; slot 0 without Web Locks. */
async function claimSlot (): Promise<number> {
  const locks = globalThis.navigator?.locks
  if (locks == null) return 0
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const claimed = await new Promise<boolean>(resolve => {
      void locks.request(`${KEY_PREFIX}${slot}`, { ifAvailable: true }, async lock => {
        resolve(lock != null)
        // Returning a promise that never settles holds the lock for the page's life.
        if (lock != null) await new Promise(() => {})
      })
    })
    if (claimed) return slot
  }
  return Math.floor(Math.random() * 1000) + MAX_SLOTS
}
