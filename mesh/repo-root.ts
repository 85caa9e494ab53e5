/**
 * The repository's root folder, so commands and tests work from any working
 * directory. One definition for the agent and the workshop (both re-export it
 * where their paths live: agent/config.ts, checker/paths.ts). Node-only.
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
