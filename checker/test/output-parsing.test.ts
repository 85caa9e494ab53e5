/**
 * Reading what a program printed: multiaddrs in its stdout, and one sentence
 * from what a dead program left on stderr.
 */
import { describe, expect, it } from 'vitest'
import { diagnoseExit } from '../engine/diagnose.ts'
import { addressesInLine, shortAddress } from '../engine/printed-addresses.ts'
import { REPO_ROOT } from '../paths.ts'

const PEER = '12D3KooWRCch8ovKnMZyJHjr7gkZ8JpJAATFHsA8erAKWvucCMpr'

describe('printed addresses', () => {
  it('finds multiaddrs anywhere on a line, with transport, port and peer id', () => {
    const [tcp] = addressesInLine(`listening on /ip4/127.0.0.1/tcp/4001/p2p/${PEER}.`)
    expect(tcp).toMatchObject({ kind: 'tcp', port: 4001, peerId: PEER, text: `/ip4/127.0.0.1/tcp/4001/p2p/${PEER}` })
    const [ws] = addressesInLine(`- "/ip4/127.0.0.1/tcp/4002/ws/p2p/${PEER}"`)
    expect(ws).toMatchObject({ kind: 'ws', port: 4002, peerId: PEER })
  })

  it('keeps addresses without a peer id (so the checker can say what is missing) and ignores other text', () => {
    expect(addressesInLine('/ip4/127.0.0.1/tcp/4001')[0]?.peerId).toBeUndefined()
    expect(addressesInLine('peer id 12D3KooW… started in /tmp/x')).toEqual([])
    expect(addressesInLine('/ip4/not-an-ip/tcp/1')).toEqual([])
  })

  it('shortens peer ids for the transcript', () => {
    expect(shortAddress(`/ip4/127.0.0.1/tcp/4001/p2p/${PEER}`)).toBe('/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…CMpr')
  })
})

describe('diagnoses of a dead program', () => {
  const file = `${REPO_ROOT}/lessons/01-identity-and-transports/node.ts`
  const exit = { code: 1, signal: null, killedByChecker: false }

  it('names the file and line of a syntax error', () => {
    const stderr = `Error [TransformError]: Transform failed with 1 error:\n${file}:12:4: ERROR: Unexpected "}"\n    at failureErrorWithLog (…)`
    expect(diagnoseExit(exit, stderr, file)).toBe('lessons/01-identity-and-transports/node.ts does not compile: line 12: Unexpected "}".')
  })

  it('names a missing import', () => {
    const stderr = `Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@libp2p/noice' imported from ${file}`
    expect(diagnoseExit(exit, stderr, file)).toBe('lessons/01-identity-and-transports/node.ts imports @libp2p/noice, which does not exist: check the import path and the package name.')
  })

  it('points at the compat import when Node 20 lacks a libp2p need', () => {
    const stderr = 'TypeError: Promise.withResolvers is not a function\n    at new Foo (node_modules/x.js:1:1)'
    expect(diagnoseExit(exit, stderr, file)).toMatch(/keep `import '..\/..\/mesh\/compat.ts'` as the first line/)
  })

  it('explains a port that is taken, as libp2p 3 reports it', () => {
    // Captured from a libp2p 3 node told to listen on a port another server held (Node 20.20).
    const stderr = [
      `${REPO_ROOT}/node_modules/libp2p/src/transport-manager.ts:318`,
      '    throw new UnsupportedListenAddressesError(`Some configured addresses failed to be listened on, you may need to remove one or more listen addresses from your configuration or set \\`transportManager.faultTolerance\\` to NO_FATAL:\\n${',
      '          ^',
      '',
      '',
      'UnsupportedListenAddressesError: Some configured addresses failed to be listened on, you may need to remove one or more listen addresses from your configuration or set `transportManager.faultTolerance` to NO_FATAL:',
      '',
      '  /ip4/127.0.0.1/tcp/36489: Error: listen EADDRINUSE: address already in use 127.0.0.1:36489',
      '      at Server.setupListenHandle [as _listen2] (node:net:1908:16)',
      '      at listenInCluster (node:net:1965:12)',
      '      at doListen (node:net:2139:7)',
      '      at process.processTicksAndRejections (node:internal/process/task_queues:83:21)',
      '',
      `    at DefaultTransportManager.listen (${REPO_ROOT}/node_modules/libp2p/src/transport-manager.ts:318:11)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at async DefaultTransportManager.afterStart (${REPO_ROOT}/node_modules/libp2p/src/transport-manager.ts:94:5)`,
      `    at async createLibp2p (${REPO_ROOT}/node_modules/libp2p/src/index.ts:210:5)`,
      `    at async <anonymous> (${file}:9:1)`,
      '',
      'Node.js v20.20.2'
    ].join('\n')
    expect(diagnoseExit(exit, stderr, file)).toBe('port 36489 is already in use: listen on the port the checker passes in LLMESH_TCP_PORT / LLMESH_WS_PORT, not a fixed one.')
  })

  it('explains a port that is taken, as Node reports it directly', () => {
    const stderr = 'Error: listen EADDRINUSE: address already in use 127.0.0.1:4001'
    expect(diagnoseExit(exit, stderr, file)).toMatch(/^port 4001 is already in use/)
  })

  it('says what was thrown and where, first frame in the learner\'s file', () => {
    const stderr = `${file}:20\n  node.foo()\n       ^\n\nTypeError: node.foo is not a function\n    at <anonymous> (${file}:20:8)`
    expect(diagnoseExit(exit, stderr, file)).toBe('your program crashed at lessons/01-identity-and-transports/node.ts:20: TypeError: node.foo is not a function')
  })

  it('recognises a top-level await that never settles (exit code 13)', () => {
    // Node 20 exits with 13 and prints nothing; Node 22 adds a warning that names the line.
    const unsettled = { code: 13, signal: null, killedByChecker: false }
    expect(diagnoseExit(unsettled, '', file)).toBe('your program ended while its top-level `await` was still waiting (Node\'s "unsettled top-level await", exit code 13): the promise it awaits never settles, and nothing else, such as a started node, keeps the program running.')
    const stderr = `Warning: Detected unsettled top-level await at file://${file}:12\nawait new Promise(() => {})\n^\n`
    expect(diagnoseExit(unsettled, stderr, file)).toMatch(/^your program ended while its top-level `await` at lessons\/01-identity-and-transports\/node\.ts:12 was still waiting/)
  })

  it('says so when a program simply ends', () => {
    expect(diagnoseExit({ code: 0, signal: null, killedByChecker: false }, '', file)).toMatch(/^your program exited \(code 0\)/)
  })
})
