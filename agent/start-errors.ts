/**
 * Turn start-up failures into one line that says what to do.
 */
import type { AgentConfig } from './config.ts'

export function describeStartError (err: unknown, config: AgentConfig): string {
  const error = err as NodeJS.ErrnoException & { errors?: unknown[] }
  const text = `${error.message ?? String(err)} ${(error.errors ?? []).map(e => (e as Error).message).join(' ')}`
  const inUse = /EADDRINUSE.*?:(\d+)/.exec(text) ?? (error.code === 'EADDRINUSE' ? [null, String((error as { port?: number }).port ?? '')] : null)
  if (inUse != null) {
    const port = Number(inUse[1])
    const flag = port === config.tcpPort ? '--tcp-port' : port === config.wsPort ? '--ws-port' : port === config.webrtcPort ? '--webrtc-port' : port === config.httpPort ? '--http-port' : 'the matching --*-port flag'
    return `port ${inUse[1]} is already in use (is another agent running?): stop it, or pass ${flag} <other port>`
  }
  // libdatachannel says only this when the WebRTC-direct UDP port is taken.
  if (/ICE UDP mux listener/i.test(text)) return `UDP port ${config.webrtcPort} (WebRTC-direct) is already in use (is another agent running?): stop it, pass --webrtc-port <other port>, or --no-webrtc`
  if (error.code === 'EADDRNOTAVAIL') return `cannot listen on ${config.host}: this machine has no such address; try --host 127.0.0.1 or --host 0.0.0.0`
  return error.message ?? String(err)
}
