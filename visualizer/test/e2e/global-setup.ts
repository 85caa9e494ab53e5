/**
 * Before any test file runs: make sure there is a Chromium for the browser tests,
 * found the way people have one or installed from Debian's packages (mesh/chromium.ts).
 * Without one, `npm test` stops at once with the command to run.
 */
import { ensureChromium } from '../../../mesh/chromium.ts'

export default function setup (): void {
  ensureChromium(line => { console.log(line) })
}
