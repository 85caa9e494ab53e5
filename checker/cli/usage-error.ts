/**
 * A mistake on the command line: printed as one line, then the usage, exit code 2.
 */
import pc from 'picocolors'

export class UsageError extends Error {
  /** Print the usage after the message: the options themselves were wrong. */
  constructor (message: string, readonly withUsage = false) {
    super(message)
  }
}

/** `usage` is shown for --help (every command has it) and after a usage error. */
export async function runCli (usage: string, main: () => Promise<number>): Promise<void> {
  let code: number
  try {
    code = process.argv.slice(2).some(arg => arg === '--help' || arg === '-h') ? showUsage(usage) : await main()
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`${pc.red('✗')} ${err.message}\n${err.withUsage ? `\n${usage}` : ''}`)
    code = 2
  }
  // Exit now: a libp2p node that is still closing sockets must not delay the verdict.
  process.exit(code)
}

function showUsage (usage: string): number {
  process.stdout.write(usage)
  return 0
}

/** `parseArgs` throws a TypeError for unknown flags: make it a usage error. */
export function parseCommandLine<T> (parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? 'option'
      throw new UsageError(`unknown option ${option}; these are the ones there are:`, true)
    }
    if (code?.startsWith('ERR_PARSE_ARGS') === true) throw new UsageError((err as Error).message, true)
    throw err
  }
}
