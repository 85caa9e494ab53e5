/**
 * Direct messages on /universal-connectivity/dm/1.0.0, as the universal-connectivity
 * peers speak them: one varint-length-prefixed protobuf request, one response.
 */
import { pbStream } from '@libp2p/utils'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { DirectMessageRequest, DirectMessageResponse, Status } from './dm.ts'
import { DM_PROTOCOL, MAX_CHAT_BYTES } from './protocol.ts'

const DM_TYPE = 'text/plain'
const TIMEOUT_MS = 10_000
/** Direct-message streams one connection may have open towards us at once. */
export const MAX_INBOUND_DM_STREAMS = 4

/** Send `content` to `peer`; resolves when the peer acknowledged it, rejects with a one-line reason otherwise. */
export async function sendDirectMessage (node: Libp2p, peer: PeerId, content: string, clientVersion: string): Promise<void> {
  const signal = AbortSignal.timeout(TIMEOUT_MS)
  const stream = await node.dialProtocol(peer, DM_PROTOCOL, { signal })
  try {
    const pb = pbStream(stream, { maxDataLength: MAX_CHAT_BYTES * 2 })
    await pb.write({ metadata: { clientVersion, timestamp: BigInt(Date.now()) }, content, type: DM_TYPE }, DirectMessageRequest, { signal })
    const response = await pb.read(DirectMessageResponse, { signal })
    if (response.status !== Status.OK) throw new Error(`the peer refused the direct message (${response.statusText ?? Status[response.status] ?? response.status})`)
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/** Answer every incoming direct message with OK (or ERROR when it is unusable) and hand usable ones to `onMessage`. */
export async function handleDirectMessages (node: Libp2p, clientVersion: string, onMessage: (from: PeerId, content: string) => void): Promise<void> {
  await node.handle(DM_PROTOCOL, async (stream, connection) => {
    const signal = AbortSignal.timeout(TIMEOUT_MS)
    try {
      const pb = pbStream(stream, { maxDataLength: MAX_CHAT_BYTES * 2 })
      const request = await pb.read(DirectMessageRequest, { signal })
      const content = request.content.trim()
      const usable = content !== '' && new TextEncoder().encode(content).byteLength <= MAX_CHAT_BYTES
      await pb.write({
        metadata: { clientVersion, timestamp: BigInt(Date.now()) },
        status: usable ? Status.OK : Status.ERROR,
        ...(usable ? {} : { statusText: `empty or over ${MAX_CHAT_BYTES} bytes` })
      }, DirectMessageResponse, { signal })
      await stream.close({ signal })
      if (usable) onMessage(connection.remotePeer, content)
    } catch (err) {
      stream.abort(err as Error)
    }
    // A peer gets a few direct messages in progress at once, not hundreds of open streams.
  }, { runOnLimitedConnection: true, maxInboundStreams: MAX_INBOUND_DM_STREAMS })
}
