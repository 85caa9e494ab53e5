/**
 * The start-up banner: who the agent is, where to reach it, and what to paste
 * into a browser. Addresses are grouped by transport so the right one is easy to find.
 */
import pc from 'picocolors'
import type { AgentAddresses } from './agent.ts'

export interface BannerInfo {
  name: string
  peerId: string
  addresses: AgentAddresses
  browserAddress: string
  llm: string
  webUrl?: string
  keyFile: string
  createdIdentity: boolean
}

export function renderBanner (info: BannerInfo): string {
  const lines: string[] = []
  lines.push('')
  lines.push(pc.bold(pc.magenta(`🛸 ${info.name} is online`)) + pc.dim(` — LLMesh agent`))
  lines.push(`${pc.dim('peer id   ')} ${pc.cyan(info.peerId)} ${pc.dim(info.createdIdentity ? `(new identity saved to ${info.keyFile})` : `(from ${info.keyFile})`)}`)
  lines.push(`${pc.dim('answers   ')} ${info.llm}`)
  const group = (label: string, addrs: string[]): void => {
    for (const addr of addrs) lines.push(`${pc.dim(label.padEnd(10))} ${addr}`)
  }
  group('tcp', info.addresses.tcp)
  group('ws', info.addresses.ws)
  group('webrtc', info.addresses.webrtcDirect)
  lines.push('')
  lines.push(`${pc.bold('paste in the browser:')} ${pc.green(info.browserAddress)}`)
  if (info.webUrl != null) lines.push(`${pc.bold('open the chat:       ')} ${pc.underline(pc.cyan(info.webUrl))}`)
  lines.push(pc.dim('Ctrl+C stops the agent.'))
  lines.push('')
  return lines.join('\n')
}
