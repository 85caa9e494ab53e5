/**
 * What configures an agent, and its defaults. How flags and environment
 * variables set it is agent/options.ts.
 */
import { resolve } from 'node:path'
import { REPO_ROOT } from '../mesh/repo-root.ts'
import type { ProviderChainConfig } from './llm/index.ts'

export type LlmConfig = ProviderChainConfig

export interface AgentConfig {
  host: string
  tcpPort: number
  wsPort: number
  /** UDP port of the WebRTC-direct listener. */
  webrtcPort: number
  /** Listen on WebRTC-direct at all (browsers then use WebSockets). */
  webrtc: boolean
  httpPort: number
  /** Serve the visualizer over HTTP (what `npm start` does). */
  serve: boolean
  keyFile: string
  /** Where the agent keeps state that must survive restarts (e.g. the WebRTC certificate); default: beside the key file. */
  dataDir?: string
  /** A persona file: name and system prompt (see agent/persona.ts). */
  personaFile?: string
  bootstrap: string[]
  mdns: boolean
  llm: LlmConfig
  /** Longest an answer may take before it is cut off. */
  replyTimeoutMs: number
  /** LLM calls running at once across all peers; the rest wait in a queue. */
  maxConcurrentReplies: number
  /** Burst of messages a peer may send before the rate limit holds. */
  rateBurst: number
  /** Seconds for one token to refill in a peer's bucket. */
  rateRefillSeconds: number
  /** Conversation turns remembered per peer. */
  contextTurns: number
  topologyIntervalMs: number
  presenceIntervalMs: number
}

export { REPO_ROOT }

export function defaultConfig (): AgentConfig {
  return {
    host: '127.0.0.1',
    tcpPort: 9091,
    wsPort: 9092,
    webrtcPort: 9093,
    webrtc: true,
    httpPort: 8080,
    serve: false,
    keyFile: resolve(REPO_ROOT, '.llmesh/agent.key'),
    bootstrap: [],
    mdns: true,
    llm: {},
    replyTimeoutMs: 60_000,
    maxConcurrentReplies: 2,
    rateBurst: 3,
    rateRefillSeconds: 5,
    contextTurns: 12,
    topologyIntervalMs: 5_000,
    presenceIntervalMs: 30_000
  }
}
