/**
 * The learner's program, run with tsx as a child process in its own process
 * group. Collects its output line by line and can be killed, group and all.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { REPO_ROOT } from '../paths.ts'
import { killGroup, trackGroup, untrackGroup } from './process-registry.ts'

export interface OutputLine {
  stream: 'stdout' | 'stderr'
  text: string
  /** ms since the program started */
  at: number
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
  /** Set when the process could not be started at all. */
  error?: Error
  /** True when the checker killed it (end of check, time limit). */
  killedByChecker: boolean
}

export class LearnerProgram {
  readonly file: string
  readonly pid: number
  readonly lines: OutputLine[] = []
  /** Resolves once the process has exited and its output is read. */
  readonly exited: Promise<ExitInfo>
  exitInfo: ExitInfo | undefined

  /** performance.now() when the process was spawned; OutputLine.at counts from here. */
  readonly startedAt = performance.now()

  private readonly child: ChildProcess
  private readonly listeners = new Set<(line: OutputLine) => void>()
  private killedByChecker = false

  constructor (file: string, env: Record<string, string>) {
    this.file = file
    // `node --import tsx` is what `tsx file.ts` runs, minus tsx's extra watcher process.
    // cwd is the repository root, so `--import tsx` resolves and `.llmesh/…` paths land there.
    // Plain text output keeps diagnoses simple. FORCE_COLOR is dropped, not zeroed:
    // with both set, Node prints a warning into the learner's output.
    const { FORCE_COLOR: _dropped, ...inherited } = process.env
    this.child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: REPO_ROOT,
      env: { ...inherited, ...env, NO_COLOR: '1' },
      detached: true, // its own process group, so one kill reaches everything it starts
      stdio: ['pipe', 'pipe', 'pipe']
    })
    this.pid = this.child.pid ?? -1
    if (this.pid > 0) trackGroup(this.pid)

    this.collect('stdout')
    this.collect('stderr')
    // Writing to a program that already died must not crash the checker.
    this.child.stdin?.on('error', () => {})

    this.exited = new Promise<ExitInfo>((resolve) => {
      const finish = (info: Omit<ExitInfo, 'killedByChecker'>): void => {
        if (this.exitInfo != null) return
        // Let the last lines of output arrive; a crash prints its stack just before exiting.
        setTimeout(() => {
          this.exitInfo = { ...info, killedByChecker: this.killedByChecker }
          if (this.pid > 0) untrackGroup(this.pid)
          resolve(this.exitInfo)
        }, 30)
      }
      this.child.once('exit', (code, signal) => { finish({ code, signal }) })
      this.child.once('error', (error) => { finish({ code: null, signal: null, error }) })
    })
  }

  get running (): boolean {
    return this.exitInfo == null && this.child.exitCode == null && this.child.signalCode == null
  }

  /** Called for every complete line, past and future. */
  onLine (listener: (line: OutputLine) => void): () => void {
    for (const line of this.lines) listener(line)
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Type a line into the program, as a person would at its prompt. */
  writeLine (text: string): void {
    if (this.running) this.child.stdin?.write(`${text}\n`)
  }

  /** End its input, as Ctrl-D does at a terminal. */
  closeInput (): void {
    this.child.stdin?.end()
  }

  text (stream?: OutputLine['stream']): string {
    return this.lines.filter(line => stream == null || line.stream === stream).map(line => line.text).join('\n')
  }

  /** Kill the whole process group and wait until the process is reaped. */
  async kill (): Promise<ExitInfo> {
    if (this.pid > 0) {
      if (this.running) this.killedByChecker = true
      killGroup(this.pid)
    }
    return await this.exited
  }

  private collect (stream: OutputLine['stream']): void {
    const source = this.child[stream]
    if (source == null) return
    source.setEncoding('utf8')
    let pending = ''
    const emit = (text: string): void => {
      const line: OutputLine = { stream, text: text.replace(/\r$/, ''), at: performance.now() - this.startedAt }
      this.lines.push(line)
      for (const listener of this.listeners) listener(line)
    }
    source.on('data', (chunk: string) => {
      pending += chunk
      let newline = pending.indexOf('\n')
      while (newline >= 0) {
        emit(pending.slice(0, newline))
        pending = pending.slice(newline + 1)
        newline = pending.indexOf('\n')
      }
    })
    source.on('end', () => { if (pending !== '') emit(pending) })
  }
}
