#!/usr/bin/env -S npx tsx
/**
 * `npm run agent` / `npm start`: run Alien X from the command line.
 */
import '../mesh/compat.ts'
import pc from 'picocolors'
import { ConfigError, USAGE, loadConfig } from './options.ts'
import { startAgent } from './agent.ts'
import type { RunningAgent } from './agent.ts'
import { renderBanner } from './banner.ts'
import { describeStartError } from './start-errors.ts'
import { stopWithin } from './shutdown.ts'
import { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, checkOllama } from './llm/index.ts'

const STOP_DEADLINE_MS = 5000
const ORPHAN_CHECK_MS = 1000

function log (line: string): void {
  const time = new Date().toISOString().slice(11, 19)
  console.log(`${pc.dim(time)} ${line}`)
}

function fail (message: string): never {
  console.error(`${pc.red('✗')} ${message}`)
  process.exit(2)
}

async function main (): Promise<void> {
  let config
  try {
    config = loadConfig(process.argv.slice(2), process.env)
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
  if (config === 'help') {
    console.log(USAGE)
    return
  }

  let agent: RunningAgent
  try {
    agent = await startAgent({ ...config, log })
  } catch (err) {
    fail(describeStartError(err, config))
  }

  let webUrl: string | undefined
  let closeWeb: (() => Promise<void>) | undefined
  if (config.serve) {
    try {
      const web = await import('./web-server.ts')
      await web.ensureVisualizerBuilt({ log })
      const server = await web.startWebServer({
        host: config.host,
        port: config.httpPort,
        agentAddress: agent.browserAddress,
        agentAddresses: [...agent.addresses.webrtcDirect, ...agent.addresses.ws]
      })
      webUrl = server.url
      closeWeb = server.close
    } catch (err) {
      await agent.stop()
      fail(describeStartError(err, config))
    }
  }

  console.log(renderBanner({
    name: agent.name,
    peerId: agent.peerId,
    addresses: agent.addresses,
    browserAddress: agent.browserAddress,
    llm: agent.llm,
    keyFile: config.keyFile,
    createdIdentity: agent.createdIdentity,
    ...(webUrl != null ? { webUrl } : {})
  }))

  if (config.llm.offlineOnly !== true) {
    void checkOllama({ host: config.llm.ollamaHost ?? DEFAULT_OLLAMA_HOST, model: config.llm.model ?? DEFAULT_OLLAMA_MODEL }).then(log)
  }

  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping ${agent.name}…`)
    stopWithin({
      stop: async () => await Promise.all([agent.stop(), closeWeb?.()]),
      deadlineMs: STOP_DEADLINE_MS,
      exit: code => process.exit(code),
      report: line => { console.error(`${pc.red('✗')} ${agent.name} ${line}`) }
    })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGHUP', () => shutdown('SIGHUP'))
  // Whoever started us (npm, a shell, tsx) may die without passing its signal on; an
  // agent left behind would keep its ports and its peers. Orphaned: stop.
  const parent = process.ppid
  setInterval(() => { if (process.ppid !== parent) shutdown('the process that started the agent exited') }, ORPHAN_CHECK_MS).unref()
}

main().catch(err => fail((err as Error).message))
