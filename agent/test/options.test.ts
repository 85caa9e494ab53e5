import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultConfig, REPO_ROOT } from '../config.ts'
import { AGENT_OPTIONS, loadConfig, USAGE } from '../options.ts'
import { withOptionsTable } from '../options-readme.ts'

describe('agent options, declared once', () => {
  it('the README configuration table is the one agent/options.ts makes', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8')
    expect(readme, 'README.md drifted from agent/options.ts: run npm run docs:agent-options').toBe(withOptionsTable(readme))
  })

  it('--help names every flag and every environment variable', () => {
    for (const option of AGENT_OPTIONS) {
      if (option.flag != null) expect(USAGE).toContain(`--${option.flag}`)
      if (option.env != null) expect(USAGE).toContain(option.env)
    }
  })

  it('every option changes the configuration from its default, by flag and by environment', () => {
    const defaults = defaultConfig()
    const sample = (option: typeof AGENT_OPTIONS[number]): string => option.value === '<n>' ? '4321' : option.value == null ? '1' : `/ip4/127.0.0.1/tcp/1/p2p/sample-${option.flag ?? option.env}`
    for (const option of AGENT_OPTIONS) {
      if (option.flag != null) {
        const argv = option.value == null ? [`--${option.flag}`] : [`--${option.flag}`, sample(option)]
        expect(loadConfig(argv, {}), `--${option.flag}`).not.toEqual(defaults)
      }
      if (option.env != null) expect(loadConfig([], { [option.env]: sample(option) }), option.env).not.toEqual(defaults)
    }
  })

  it('a flag wins over its environment variable; --bootstrap adds to LLMESH_BOOTSTRAP', () => {
    const config = loadConfig(['--tcp-port', '1111', '--bootstrap', '/ip4/127.0.0.1/tcp/2/p2p/b'], { LLMESH_TCP_PORT: '2222', LLMESH_BOOTSTRAP: '/ip4/127.0.0.1/tcp/1/p2p/a' })
    expect(config).not.toBe('help')
    if (config === 'help') return
    expect(config.tcpPort).toBe(1111)
    expect(config.bootstrap).toEqual(['/ip4/127.0.0.1/tcp/2/p2p/b', '/ip4/127.0.0.1/tcp/1/p2p/a'])
  })
})
