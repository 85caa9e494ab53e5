/**
 * The benchmark's child processes (hub, star peers) under tsx, with a typed way to
 * send a request and wait for the message that answers it.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export class BenchProcess {
  private readonly waiting: Array<{ type: string, resolve: (msg: any) => void }> = []
  private readonly listeners: Array<(msg: any) => void> = []
  readonly exited: Promise<number | null>

  private constructor (readonly child: ChildProcess, readonly name: string) {
    child.on('message', (msg: any) => {
      if (msg.type === 'error') console.error(`  ${name}: ${msg.message}`)
      for (const listener of this.listeners) listener(msg)
      const i = this.waiting.findIndex(w => w.type === msg.type)
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(msg)
    })
    this.exited = new Promise(resolve => child.once('exit', resolve))
  }

  /**
   * Fork `script` and wait for its first message of type `readyType`: a file in
   * agent/bench under tsx, or an absolute path to compiled JavaScript under plain node.
   */
  static async start (script: string, args: string[], readyType: string, nodeArgs: string[] = []): Promise<{ process: BenchProcess, ready: any }> {
    const compiled = script.endsWith('.mjs')
    const child = fork(compiled ? script : fileURLToPath(new URL(script, import.meta.url)), args, {
      execArgv: [...(compiled ? [] : ['--import', 'tsx']), ...nodeArgs],
      env: { ...process.env, NO_COLOR: '1', LLMESH_OFFLINE: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc']
    })
    const bench = new BenchProcess(child, script)
    const ready = await Promise.race([
      bench.next(readyType),
      bench.exited.then(code => { throw new Error(`${script} exited with ${code} before it was ready`) })
    ])
    return { process: bench, ready }
  }

  on (listener: (msg: any) => void): void {
    this.listeners.push(listener)
  }

  async next (type: string, timeoutMs = 120_000): Promise<any> {
    return await new Promise((resolve, reject) => {
      const entry = { type, resolve: (msg: any) => { clearTimeout(timer); resolve(msg) } }
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1)
        reject(new Error(`${this.name}: no ${type} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiting.push(entry)
    })
  }

  async request (msg: object, answerType: string, timeoutMs?: number): Promise<any> {
    const answer = this.next(answerType, timeoutMs)
    this.child.send(msg)
    return await answer
  }

  send (msg: object): void {
    this.child.send(msg)
  }

  async stop (): Promise<void> {
    if (this.child.exitCode != null) return
    this.child.send({ type: 'stop' })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await this.exited
    clearTimeout(timer)
  }
}
