/**
 * The agent's on-disk datastore, readable by its owner only. It holds the WebRTC
 * certificate's private key (in the keychain) beside the peer store; files
 * written with the default umask would be world-readable (0644).
 */
import { chmod } from 'node:fs/promises'
import { FsDatastore } from 'datastore-fs'

type Put = FsDatastore['put']

export class PrivateFsDatastore extends FsDatastore {
  override async put (...[key, value, options]: Parameters<Put>): ReturnType<Put> {
    const stored = await super.put(key, value, options)
    await chmod(this._encode(key).file, 0o600)
    return stored
  }
}
