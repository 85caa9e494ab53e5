/**
 * Take docs/screenshot.png from the real thing: the built app, a real agent
 * (offline persona), two browser tabs and two terminal peers, a few messages
 * and an answer from Alien X.
 *
 *   npx tsx visualizer/scripts/screenshot.ts [out.png]
 */
import '../../mesh/compat.ts'
import { resolve } from 'node:path'
import { joinAgent, stopAll, testPeer } from '../../agent/test/harness.ts'
import { joinMesh, launchChromium, openPage, say, waitForMessage } from '../test/e2e/browser.ts'
import { buildApp, startStack } from '../test/e2e/stack.ts'

const out = resolve(process.argv[2] ?? 'docs/screenshot.png')
const sleep = async (ms: number): Promise<void> => { await new Promise(done => setTimeout(done, ms)) }

await buildApp()
const stack = await startStack()
const browser = await launchChromium()
try {
  const terminals = [await testPeer(), await testPeer()]
  await joinAgent(terminals[0]!, stack.agent.addresses.tcp[0]!)
  await joinAgent(terminals[1]!, stack.agent.addresses.ws[0]!)
  const { page: other } = await openPage(browser, stack.url)
  await joinMesh(other)
  const { page } = await openPage(browser, stack.url, { viewport: { width: 1440, height: 900 } })
  await joinMesh(page)
  await waitForMessage(page, 'Welcome', { kind: 'agent' })

  await sleep(3000) // let the layout settle

  await say(other, 'hi from the second tab 👋')
  await waitForMessage(page, 'second tab')
  await terminals[0]!.say('terminal node online — gossiping over TCP')
  await waitForMessage(page, 'terminal node online')
  await sleep(1500)
  await say(page, 'who is here?')
  await waitForMessage(page, 'connected', { kind: 'agent', timeoutMs: 20_000 })
  // The answer's pulse is still travelling from Alien X to us.
  await sleep(250)
  await page.screenshot({ path: out })
  console.log(`saved ${out}`)
} finally {
  await browser.close()
  await stack.web.close()
  await stopAll()
}
