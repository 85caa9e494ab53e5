/**
 * Agent configuration: defaults, then environment variables, then command-line flags.
 * The README's configuration table documents exactly what this file reads.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

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

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))

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

export const USAGE = `Usage: npm run agent -- [options]     (npm start = the same plus --serve)

  --host <ip>            listen address (default 127.0.0.1; 0.0.0.0 for a LAN)   env LLMESH_HOST
  --tcp-port <n>         TCP port (default 9091)                                  env LLMESH_TCP_PORT
  --ws-port <n>          WebSocket port (default 9092)                            env LLMESH_WS_PORT
  --webrtc-port <n>      WebRTC-direct UDP port (default 9093)                    env LLMESH_WEBRTC_PORT
  --no-webrtc            do not listen on WebRTC-direct (browsers use WebSockets)
  --http-port <n>        port serving the chat app with --serve (default 8080)    env LLMESH_HTTP_PORT
  --serve                build (if needed) and serve the chat app
  --key-file <path>      identity key file (default .llmesh/agent.key)            env LLMESH_KEY_FILE
  --bootstrap <addr>     dial this peer and keep redialing (repeatable)           env LLMESH_BOOTSTRAP (comma-separated)
  --persona <file>       persona file: name and system prompt                     env LLMESH_PERSONA
  --model <name>         Ollama model (default llama3.2)                          env OLLAMA_MODEL
  --offline              no model: only the offline Alien X persona answers       env LLMESH_OFFLINE=1
  --no-mdns              do not look for peers on the LAN
  -h, --help             show this help

  LLM: OLLAMA_HOST (default http://127.0.0.1:11434); OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL (default gpt-4o-mini)`

/** A configuration error the CLI prints as one line before exiting with status 2. */
export class ConfigError extends Error {}

export function loadConfig (argv: string[], env: NodeJS.ProcessEnv): AgentConfig | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        'tcp-port': { type: 'string' },
        'ws-port': { type: 'string' },
        'webrtc-port': { type: 'string' },
        'no-webrtc': { type: 'boolean' },
        'http-port': { type: 'string' },
        serve: { type: 'boolean' },
        'key-file': { type: 'string' },
        bootstrap: { type: 'string', multiple: true },
        persona: { type: 'string' },
        model: { type: 'string' },
        offline: { type: 'boolean' },
        'no-mdns': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; run with --help for the options`)
  }
  const flags = parsed.values
  if (flags.help === true) return 'help'

  const config = defaultConfig()
  config.host = flags.host ?? env.LLMESH_HOST ?? config.host
  config.tcpPort = port('--tcp-port', flags['tcp-port'] ?? env.LLMESH_TCP_PORT, config.tcpPort)
  config.wsPort = port('--ws-port', flags['ws-port'] ?? env.LLMESH_WS_PORT, config.wsPort)
  config.webrtcPort = port('--webrtc-port', flags['webrtc-port'] ?? env.LLMESH_WEBRTC_PORT, config.webrtcPort)
  config.webrtc = flags['no-webrtc'] !== true
  config.httpPort = port('--http-port', flags['http-port'] ?? env.LLMESH_HTTP_PORT, config.httpPort)
  config.serve = flags.serve === true
  config.keyFile = resolve(flags['key-file'] ?? env.LLMESH_KEY_FILE ?? config.keyFile)
  config.bootstrap = [...(flags.bootstrap ?? []), ...splitList(env.LLMESH_BOOTSTRAP)]
  config.personaFile = flags.persona ?? env.LLMESH_PERSONA
  config.mdns = flags['no-mdns'] !== true
  config.llm = {
    ollamaHost: env.OLLAMA_HOST,
    model: flags.model ?? env.OLLAMA_MODEL,
    openaiApiKey: env.OPENAI_API_KEY,
    openaiBaseUrl: env.OPENAI_BASE_URL,
    openaiModel: env.OPENAI_MODEL,
    offlineOnly: flags.offline === true || env.LLMESH_OFFLINE === '1'
  }
  return config
}

function port (flag: string, value: string | undefined, fallback: number): number {
  if (value == null || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${flag} must be a port number from 0 to 65535, got "${value}"`)
  return n
}

function splitList (value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(s => s !== '')
}
