/**
 * Every option of `npm run agent` / `npm start`, declared once: its flag, its
 * environment variable, its default and what it means. The parser, the `--help`
 * text and the README's configuration table are all made from this list
 * (agent/test/options.test.ts fails when the README table drifts from it;
 * `npm run docs:agent-options` rewrites it).
 */
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultConfig, REPO_ROOT } from './config.ts'
import type { AgentConfig } from './config.ts'
import { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL, OPENAI_DEFAULT_BASE_URL } from './llm/defaults.ts'

/** A configuration error the CLI prints as one line before exiting with status 2. */
export class ConfigError extends Error {}

export interface AgentOption {
  /** Long flag without the dashes; none for options read only from the environment. */
  flag?: string
  /** The flag's value placeholder, e.g. `<n>`; none for a switch. */
  value?: string
  /** May be given several times. */
  repeatable?: boolean
  env?: string
  /** How the environment variable is written when it differs from the flag's value, e.g. `LLMESH_OFFLINE=1`. */
  envForm?: string
  /** The default as people read it. */
  shownDefault: (defaults: AgentConfig) => string
  meaning: string
  /** Sets the option from the flag's value (a switch gets `true`), or from the environment. */
  apply: (config: AgentConfig, value: string | true) => void
}

const portOption = (flag: string, env: string, key: 'tcpPort' | 'wsPort' | 'webrtcPort' | 'httpPort', meaning: string): AgentOption => ({
  flag,
  value: '<n>',
  env,
  shownDefault: defaults => String(defaults[key]),
  meaning,
  apply: (config, value) => { config[key] = port(`--${flag}`, String(value)) }
})

export const AGENT_OPTIONS: AgentOption[] = [
  {
    flag: 'host',
    value: '<ip>',
    env: 'LLMESH_HOST',
    shownDefault: defaults => defaults.host,
    meaning: 'listen address; `0.0.0.0` to serve a LAN',
    apply: (config, value) => { config.host = String(value) }
  },
  portOption('tcp-port', 'LLMESH_TCP_PORT', 'tcpPort', 'TCP port (terminal and Node peers)'),
  portOption('ws-port', 'LLMESH_WS_PORT', 'wsPort', 'WebSocket port (browsers)'),
  portOption('webrtc-port', 'LLMESH_WEBRTC_PORT', 'webrtcPort', 'WebRTC-direct UDP port (browsers)'),
  {
    flag: 'no-webrtc',
    shownDefault: () => 'WebRTC on',
    meaning: 'do not listen on WebRTC-direct; browsers use WebSockets',
    apply: config => { config.webrtc = false }
  },
  portOption('http-port', 'LLMESH_HTTP_PORT', 'httpPort', 'port of the chat app, with `--serve` (`npm start`)'),
  {
    flag: 'serve',
    shownDefault: () => 'off',
    meaning: 'build the chat app if needed and serve it',
    apply: config => { config.serve = true }
  },
  {
    flag: 'key-file',
    value: '<path>',
    env: 'LLMESH_KEY_FILE',
    shownDefault: defaults => relative(REPO_ROOT, defaults.keyFile),
    meaning: 'the Ed25519 identity (created on first run, mode 0600); the WebRTC certificate lives beside it in `agent-data/`',
    apply: (config, value) => { config.keyFile = resolve(String(value)) }
  },
  {
    flag: 'bootstrap',
    value: '<addr>',
    repeatable: true,
    env: 'LLMESH_BOOTSTRAP',
    envForm: 'LLMESH_BOOTSTRAP (comma-separated)',
    shownDefault: () => 'none',
    meaning: 'dial this peer at start and keep redialing with backoff; an address that cannot work is reported and skipped',
    apply: (config, value) => { config.bootstrap.push(...String(value).split(/[\s,]+/).filter(s => s !== '')) }
  },
  {
    flag: 'persona',
    value: '<file>',
    env: 'LLMESH_PERSONA',
    shownDefault: () => 'Alien X',
    meaning: 'a Markdown file: `# Name` heading, then the system prompt',
    apply: (config, value) => { config.personaFile = String(value) }
  },
  {
    flag: 'model',
    value: '<name>',
    env: 'OLLAMA_MODEL',
    shownDefault: () => DEFAULT_OLLAMA_MODEL,
    meaning: 'the Ollama model',
    apply: (config, value) => { config.llm.model = String(value) }
  },
  {
    flag: 'offline',
    env: 'LLMESH_OFFLINE',
    envForm: 'LLMESH_OFFLINE=1',
    shownDefault: () => 'off',
    meaning: 'no model: only the offline persona answers',
    apply: (config, value) => { config.llm.offlineOnly = value === true || value === '1' }
  },
  {
    flag: 'no-mdns',
    shownDefault: () => 'mDNS on',
    meaning: 'do not look for peers on the LAN',
    apply: config => { config.mdns = false }
  },
  {
    env: 'OLLAMA_HOST',
    shownDefault: () => DEFAULT_OLLAMA_HOST,
    meaning: 'where Ollama listens',
    apply: (config, value) => { config.llm.ollamaHost = String(value) }
  },
  {
    env: 'OPENAI_API_KEY',
    shownDefault: () => 'none',
    meaning: 'enables the OpenAI provider',
    apply: (config, value) => { config.llm.openaiApiKey = String(value) }
  },
  {
    env: 'OPENAI_BASE_URL',
    shownDefault: () => OPENAI_DEFAULT_BASE_URL,
    meaning: 'any OpenAI-compatible server (llama.cpp, LM Studio, vLLM)',
    apply: (config, value) => { config.llm.openaiBaseUrl = String(value) }
  },
  {
    env: 'OPENAI_MODEL',
    shownDefault: () => DEFAULT_OPENAI_MODEL,
    meaning: 'the OpenAI model',
    apply: (config, value) => { config.llm.openaiModel = String(value) }
  }
]

function port (flag: string, value: string): number {
  const n = Number(value)
  if (value === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${flag} must be a port number from 0 to 65535, got "${value}"`)
  return n
}

const flagText = (option: AgentOption): string => option.flag == null ? '' : `--${option.flag}${option.value == null ? '' : ` ${option.value}`}`
const envText = (option: AgentOption): string => option.envForm ?? option.env ?? ''

/** The `--help` text: each option, then its default and environment variable on a second line. */
export function usageText (defaults: AgentConfig): string {
  const width = Math.max(...AGENT_OPTIONS.map(option => (option.flag == null ? option.env! : flagText(option)).length)) + 2
  const describe = (name: string, option: AgentOption): string[] => {
    const details = [
      ...(option.value == null && option.flag != null ? [] : [`default ${option.shownDefault(defaults)}`]),
      ...(option.flag != null && option.env != null ? [`env ${envText(option)}`] : []),
      ...(option.repeatable === true ? ['repeatable'] : [])
    ]
    return [`  ${name.padEnd(width)}${option.meaning.replaceAll('`', '')}`, ...(details.length > 0 ? [`  ${''.padEnd(width)}${details.join(' · ')}`] : [])]
  }
  return [
    'Usage: npm run agent -- [options]     (npm start = the same plus --serve)',
    '',
    ...AGENT_OPTIONS.filter(option => option.flag != null).flatMap(option => describe(flagText(option), option)),
    `  ${'-h, --help'.padEnd(width)}show this help`,
    '',
    'Environment only:',
    ...AGENT_OPTIONS.filter(option => option.flag == null).flatMap(option => describe(option.env!, option))
  ].join('\n')
}

/** The README's configuration table, in Markdown. */
export function optionsTable (defaults: AgentConfig): string {
  const code = (text: string): string => text === '' ? '' : `\`${text}\``
  const rows = AGENT_OPTIONS.map(option => {
    const env = option.envForm?.replace(/^(\S+)(.*)$/, (_, name: string, rest: string) => `${code(name)}${rest}`) ?? code(option.env ?? '')
    const shown = option.shownDefault(defaults)
    // A value is shown as code; a phrase ("none", "WebRTC on", "Alien X") as text.
    const isValue = !/\s/.test(shown) && !['none', 'off'].includes(shown)
    const repeat = option.repeatable === true ? '; repeatable' : ''
    return `| ${code(flagText(option))} | ${env} | ${isValue ? code(shown) : shown} | ${option.meaning}${repeat} |`
  })
  return ['| flag | environment | default | meaning |', '|---|---|---|---|', ...rows].join('\n')
}

/** The `--help` text, made from the option list. */
export const USAGE = usageText(defaultConfig())

/** Defaults, then environment variables, then flags; `'help'` when asked for help. */
export function loadConfig (argv: string[], env: NodeJS.ProcessEnv): AgentConfig | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(AGENT_OPTIONS.filter(option => option.flag != null).map(option => [option.flag!, { type: option.value == null ? 'boolean' : 'string', multiple: option.repeatable === true }] as const)),
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; run with --help for the options`)
  }
  const flags = parsed.values as Record<string, string | boolean | string[] | undefined>
  if (flags.help === true) return 'help'

  const config = defaultConfig()
  for (const option of AGENT_OPTIONS) {
    const flag = option.flag == null ? undefined : flags[option.flag]
    const given = Array.isArray(flag) ? flag : flag == null || flag === false ? [] : [flag]
    for (const value of given) option.apply(config, value)
    // A flag wins over its environment variable; a repeatable flag adds to it.
    const fromEnv = option.env == null ? undefined : env[option.env]
    if (fromEnv != null && fromEnv !== '' && (given.length === 0 || option.repeatable === true)) option.apply(config, fromEnv)
  }
  return config
}
