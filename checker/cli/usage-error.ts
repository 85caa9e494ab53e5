/**
 * A mistake on the command line: printed as one line, exit code 2.
 */
import pc from 'picocolors'

export class UsageError extends Error {}

export async function runCli (main: () => Promise<number>): Promise<void> {
  let code: number
  try {
    code = await main()
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`${pc.red('✗')} ${err.message}\n`)
    code = 2
  }
  // Exit now: a libp2p node that is still closing sockets must not delay the verdict.
  process.exit(code)
}

/** `parseArgs` throws a TypeError for unknown flags: make it a usage error. */
export function parseCommandLine<T> (parse: () => T): T {
  try {
    return parse()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true) throw new UsageError((err as Error).message)
    throw err
  }
}
