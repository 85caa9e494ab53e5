/**
 * Turn what a dead program left on stderr into one sentence a learner can act on:
 * which file and line does not compile, what was thrown where, which port was taken.
 */
import { displayPath, REPO_ROOT } from '../paths.ts'
import type { ExitInfo } from './learner-process.ts'
import { StepFailure } from './step-failure.ts'

/** The diagnosis as a step failure; a compile error brings its own hint, with the real file. */
export function exitFailure (exit: ExitInfo, stderr: string, programFile: string): StepFailure {
  const message = diagnoseExit(exit, stderr, programFile)
  if (compileErrorIn(stderr) == null) return new StepFailure(message)
  return new StepFailure(message, {
    hint: `esbuild (inside tsx) could not parse the file, so nothing ran. Run it yourself to see the line with a caret under the mistake: \`npx tsx ${displayPath(programFile)}\`. The error often sits just before the line it names: an unclosed \`(\`, \`{\` or string on the previous line.`
  })
}

export function diagnoseExit (exit: ExitInfo, stderr: string, programFile: string): string {
  if (exit.error != null) return `the checker could not start ${displayPath(programFile)}: ${exit.error.message}.`
  const compileError = compileErrorIn(stderr)
  if (compileError != null) return compileError
  const thrown = thrownErrorIn(stderr, programFile)
  if (thrown != null) return thrown
  if (exit.code === UNSETTLED_TOP_LEVEL_AWAIT) return unsettledAwait(stderr)
  if (exit.signal != null) return `your program was killed by ${exit.signal}.`
  if (exit.code === 0) return 'your program exited (code 0): a node must keep running, so don\'t stop it or end the process.'
  return `your program exited with code ${exit.code ?? '?'} without printing an error.`
}

/** Node's exit code when the event loop empties while a top-level `await` still waits. */
const UNSETTLED_TOP_LEVEL_AWAIT = 13

/** Node 20 prints nothing for it; Node 22 warns "Detected unsettled top-level await at file:…:line". */
function unsettledAwait (stderr: string): string {
  const at = /unsettled top-level await at (?:file:\/\/)?(\S+?):(\d+)/.exec(stderr)
  const where = at != null ? ` at ${displayPath(at[1] ?? '')}:${at[2] ?? '?'}` : ''
  return `your program ended while its top-level \`await\`${where} was still waiting (Node's "unsettled top-level await", exit code 13): the promise it awaits never settles, and nothing else, such as a started node, keeps the program running.`
}

/** esbuild (inside tsx) reports syntax errors as `file:line:col: ERROR: message`. */
function compileErrorIn (stderr: string): string | undefined {
  const match = /^(\S+?):(\d+):(\d+): ERROR: (.+)$/m.exec(stderr)
  if (match == null) return undefined
  const [, file = '', line = '', , message = ''] = match
  return `${displayPath(file)} does not compile: line ${line}: ${message}.`
}

const ERROR_LINE = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)|Error)(?: \[(\w+)\])?: (.+)$/m

function thrownErrorIn (stderr: string, programFile: string): string | undefined {
  const match = ERROR_LINE.exec(stderr)
  if (match == null) return undefined
  const [, name = 'Error', code, message = ''] = match

  if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(message)) {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1]
    const importer = /imported from (\S+)/.exec(message)?.[1]
    if (missing != null) {
      return `${importer != null ? displayPath(importer) : 'your program'} imports ${displayPath(missing)}, which does not exist: check the import path and the package name.`
    }
  }
  if (/does not provide an export named/.test(message)) {
    return `${locationIn(stderr, programFile) ?? 'your program'}: ${message}: check the import name against the package's exports.`
  }
  if (/Promise\.withResolvers is not a function|WebSocket is not defined/.test(message)) {
    return `libp2p needs Node 22 features here (${message}): keep \`import '../../mesh/compat.ts'\` as the first line of your program.`
  }
  // libp2p 3 wraps it (UnsupportedListenAddressesError: "Some configured addresses
  // failed…") and names the cause on a later line, so look at all of stderr.
  if (/EADDRINUSE/.test(stderr) || code === 'EADDRINUSE') {
    const port = /address already in use \S+:(\d+)/.exec(stderr)?.[1]
    return `port ${port ?? '?'} is already in use: listen on the port the checker passes in LLMESH_TCP_PORT / LLMESH_WS_PORT, not a fixed one.`
  }
  const where = locationIn(stderr, programFile)
  return `your program crashed${where != null ? ` at ${where}` : ''}: ${name}: ${message}`
}

/** The first place in the learner's own files the error points at (not libp2p's). */
function locationIn (stderr: string, programFile: string): string | undefined {
  const escaped = programFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const inProgram = new RegExp(`(?:file://)?(${escaped}):(\\d+)`).exec(stderr)
  if (inProgram != null) return `${displayPath(inProgram[1] ?? programFile)}:${inProgram[2] ?? '?'}`
  const inRepo = new RegExp(`(?:file://)?(${REPO_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?!node_modules/)[^\\s:)]+):(\\d+)`).exec(stderr)
  if (inRepo != null) return `${displayPath(inRepo[1] ?? '')}:${inRepo[2] ?? '?'}`
  return undefined
}
