/**
 * Take docs/screenshot.png and docs/screenshot-phone.png from the real thing:
 * the built app, a real agent (offline persona), three people in browser tabs
 * and two terminal peers, a short conversation and an answer from Alien X.
 *
 *   npx tsx visualizer/scripts/screenshot.ts [out.png [phone-out.png]]
 */
import '../../mesh/compat.ts'
import { resolve } from 'node:path'
import { joinAgent, stopAll, testPeer } from '../../agent/test/harness.ts'
import { joinMesh, launchChromium, openPage, say, waitForMessage } from '../test/e2e/browser.ts'
import { buildApp, startStack } from '../test/e2e/stack.ts'

const out = resolve(process.argv[2] ?? 'docs/screenshot.png')
const phoneOut = resolve(process.argv[3] ?? out.replace(/\.png$/, '-phone.png'))
const sleep = async (ms: number): Promise<void> => { await new Promise(done => setTimeout(done, ms)) }

await buildApp()
const stack = await startStack()
const browser = await launchChromium()
try {
  const terminals = [await testPeer(), await testPeer()]
  await joinAgent(terminals[0]!, stack.agent.addresses.tcp[0]!)
  await joinAgent(terminals[1]!, stack.agent.addresses.ws[0]!)
  const { page: ada } = await openPage(browser, stack.url)
  const { page: bo } = await openPage(browser, stack.url)
  await Promise.all([joinMesh(ada), joinMesh(bo)])
  const { page } = await openPage(browser, stack.url, { viewport: { width: 1440, height: 900 } })
  const { page: phone } = await openPage(browser, stack.url, { viewport: { width: 390, height: 844 } })
  await Promise.all([joinMesh(page), joinMesh(phone)])
  await waitForMessage(page, 'Welcome', { kind: 'agent' })

  await sleep(3000) // let the layout settle

  await say(ada, 'hi all 👋 anyone else doing lesson 3?')
  await waitForMessage(page, 'lesson 3')
  await say(bo, 'yes — my node just joined over WebRTC-direct')
  await waitForMessage(page, 'WebRTC-direct')
  await terminals[0]!.say('terminal node online — gossiping over TCP')
  await waitForMessage(page, 'terminal node online')
  await sleep(1500)
  await say(page, 'Alien X, who is here?')
  await waitForMessage(page, 'connected', { kind: 'agent', timeoutMs: 20_000 })
  await waitForMessage(phone, 'connected', { kind: 'agent', timeoutMs: 20_000 })
  // The answer's pulse is still travelling from Alien X to us.
  await sleep(250)
  await page.screenshot({ path: out })
  console.log(`saved ${out}`)
  // The chat box has the focus after joining: blur it so the phone shot shows the chat, not a caret.
  await phone.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur() })
  await phone.screenshot({ path: phoneOut })
  console.log(`saved ${phoneOut}`)
} finally {
  await browser.close()
  await stack.web.close()
  await stopAll()
}
