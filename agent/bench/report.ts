/** The benchmark's table (Markdown, pasted into the README as is) and its ASCII scaling curve. */
import type { BenchResults } from './run.ts'
import type { ScaleResult } from './star.ts'

const ms = (n: number | undefined): string => (n == null || Number.isNaN(n) ? '—' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`)
const pct = (n: number | undefined): string => (n == null || Number.isNaN(n) ? '—' : `${(n * 100).toFixed(n >= 0.995 && n < 1 ? 1 : 0)} %`)
const mb = (n: number | undefined): string => (n == null ? '—' : `${n.toFixed(0)} MB`)
const ratio = (a: number | undefined, b: number | undefined): string => (a == null || b == null || !Number.isFinite(a / b) || b === 0 ? '—' : `${(a / b).toFixed(2)}×`)

export function renderTable (r: BenchResults): string {
  const rows: string[][] = []
  const row = (...cells: string[]): void => { rows.push(cells) }

  const sizes = [...new Set(r.scale.map(s => s.peers))]
  for (const peers of sizes) {
    const of = (hub: string, compiled = false): ScaleResult | undefined => r.scale.find(s => s.peers === peers && s.hub === hub && (s.compiled === true) === compiled)
    const js = of('agent', true)
    const a = of('agent')
    const p = of('plain')
    const t = of('plain-tuned')
    const lat = (s?: ScaleResult): string => (s == null || s.allDelivered === 0 ? `none of ${s?.messages ?? '?'}` : `${ms(s.allDeliveredMs.p50)} / ${ms(s.allDeliveredMs.p99)}${s.allDelivered < s.messages ? ` (${s.allDelivered} of ${s.messages})` : ''}`)
    row(`1. ${peers} peers: delivered`, pct(a?.delivered), pct(p?.delivered), pct(t?.delivered), ratio(a?.delivered, t?.delivered), peers === 100 ? '100 %' : '')
    row(`1. ${peers} peers: all-delivered p50 / p99`, lat(a), lat(p), lat(t), ratio(a?.allDeliveredMs.p99, t?.allDeliveredMs.p99), peers === 100 ? 'p99 ≤ 150 ms, ≤ 1.2×' : '')
    row(`1. ${peers} peers: per receipt p50 / p99`, `${ms(a?.receiptMs.p50)} / ${ms(a?.receiptMs.p99)}`, `${ms(p?.receiptMs.p50)} / ${ms(p?.receiptMs.p99)}`, `${ms(t?.receiptMs.p50)} / ${ms(t?.receiptMs.p99)}`, ratio(a?.receiptMs.p99, t?.receiptMs.p99), '')
    const past = of('past-limit')
    if (past != null) row(`1. ${peers} peers, hub mesh capped at ${past.meshPeers}: delivered · all-delivered p50 / p99`, '', '', `${pct(past.delivered)} · ${lat(past)}`, '', 'late, not lost')
    row(`1. ${peers} peers: hub's mesh size`, String(a?.meshPeers ?? '—'), String(p?.meshPeers ?? '—'), String(t?.meshPeers ?? '—'), '', '')
    row(`1. ${peers} peers: hub RSS (idle before join)`, `${mb(a?.hubRssMB)} (${mb(a?.hubIdleRssMB)})`, `${mb(p?.hubRssMB)} (${mb(p?.hubIdleRssMB)})`, `${mb(t?.hubRssMB)} (${mb(t?.hubIdleRssMB)})`, ratio(a?.hubRssMB, t?.hubRssMB), peers === 100 ? '≤ 150 MB' : '')
    if (js != null) row(`1. ${peers} peers: agent compiled, no tsx: RSS (idle) · all-delivered p50 / p99`, `${mb(js.hubRssMB)} (${mb(js.hubIdleRssMB)}) · ${lat(js)}`, '', '', '', '≤ 150 MB')
    row(`1. ${peers} peers: memory per peer`, `${a?.perPeerKB.toFixed(0) ?? '—'} kB`, `${p?.perPeerKB.toFixed(0) ?? '—'} kB`, `${t?.perPeerKB.toFixed(0) ?? '—'} kB`, ratio(a?.perPeerKB, t?.perPeerKB), '')
    const cpu = (s?: ScaleResult): string => (s == null ? '—' : `${s.hubCpuPct.toFixed(0)} % / ${s.workersCpuPct.toFixed(0)} %`)
    row(`1. ${peers} peers: CPU while chatting, hub / peer processes`, cpu(a), cpu(p), cpu(t), ratio(a?.hubCpuPct, t?.hubCpuPct), '')
    row(`1. ${peers} peers: hub's longest heartbeat · open fds`, `${ms(a?.heartbeatMs)} · ${a?.hubFds ?? '—'}`, `${ms(p?.heartbeatMs)} · ${p?.hubFds ?? '—'}`, `${ms(t?.heartbeatMs)} · ${t?.hubFds ?? '—'}`, '', '')
    row(`1. ${peers} peers: join (all subscribed)`, ms(a?.joinMs), ms(p?.joinMs), ms(t?.joinMs), ratio(a?.joinMs, t?.joinMs), '')
  }

  const la = r.load.find(l => l.hub === 'agent')
  const lt = r.load.find(l => l.hub === 'plain-tuned')
  if (la != null) {
    const what = `${la.peers} peers × ${la.rate} msg/s × ${la.seconds} s`
    row(`2. ${what}: delivered`, pct(la.delivered), '', pct(lt?.delivered), ratio(la.delivered, lt?.delivered), '100 %')
    row('2. published / handed to nobody', `${la.published} / ${la.publishedToNobody}`, '', `${lt?.published ?? '—'} / ${lt?.publishedToNobody ?? '—'}`, '', '')
    row('2. chat round trip p50 / p99, idle', `${ms(la.idleRoundTripMs.p50)} / ${ms(la.idleRoundTripMs.p99)}`, '', `${ms(lt?.idleRoundTripMs.p50)} / ${ms(lt?.idleRoundTripMs.p99)}`, ratio(la.idleRoundTripMs.p99, lt?.idleRoundTripMs.p99), '')
    row('2. chat round trip p50 / p99, under load', `${ms(la.loadRoundTripMs.p50)} / ${ms(la.loadRoundTripMs.p99)}${la.unanswered > 0 ? ` (${la.unanswered} unanswered)` : ''}`, '', `${ms(lt?.loadRoundTripMs.p50)} / ${ms(lt?.loadRoundTripMs.p99)}${(lt?.unanswered ?? 0) > 0 ? ` (${lt?.unanswered} unanswered)` : ''}`, ratio(la.loadRoundTripMs.p99, lt?.loadRoundTripMs.p99), '')
    row('2. hub CPU / peer processes\' CPU (% of one core)', `${la.hubCpuPct.toFixed(0)} % / ${la.workersCpuPct.toFixed(0)} %`, '', `${lt?.hubCpuPct.toFixed(0) ?? '—'} % / ${lt?.workersCpuPct.toFixed(0) ?? '—'} %`, '', '')
    const perMessage = (l?: typeof la): string => (l == null ? '—' : `${l.hubCpuMsPerMessage.toFixed(2)} ms (≈ ${Math.round(1000 / l.hubCpuMsPerMessage)} msg/s per core)`)
    row('2. hub CPU per message', perMessage(la), '', perMessage(lt), ratio(la.hubCpuMsPerMessage, lt?.hubCpuMsPerMessage), '')
  }

  const f = r.firstToken
  if (f != null) row('3. question → first token p50 / p99', `${ms(f.mesh.p50)} / ${ms(f.mesh.p99)} (mesh)`, `${ms(f.direct.p50)} / ${ms(f.direct.p99)} (ollama client direct)`, '', `+${ms(f.overheadP50)}`, 'overhead ≤ 15 ms p50')

  const b = r.browser
  if (b != null) {
    row('4. page load → MESH SYNCED p50 / p99, WebRTC-direct', `${ms(b.syncedWebrtcMs.p50)} / ${ms(b.syncedWebrtcMs.p99)}`, '', '', '', '≤ 1.0 s')
    row('4. page load → MESH SYNCED p50 / p99, WebSockets', `${ms(b.syncedWsMs.p50)} / ${ms(b.syncedWsMs.p99)}`, '', '', '', '≤ 1.0 s')
    row('4. of which click → MESH SYNCED p50 (WebRTC / WS)', `${ms(b.clickToSyncedWebrtcMs.p50)} / ${ms(b.clickToSyncedWsMs.p50)}`, '', '', '', '')
    row('4. browser → agent → browser p50 / p99', `${ms(b.roundTripMs.p50)} / ${ms(b.roundTripMs.p99)}`, '', '', '', '≤ 25 ms p50')
    row('4. JS gzipped: first load + lazy', `${b.firstLoadKB.toFixed(1)} kB + ${b.lazyKB.toFixed(1)} kB`, '', '', '', '≤ 250 kB')
  }

  const l = r.learner
  if (l != null) {
    for (const c of l.checks) {
      const steps = c.steps.map(s => `${s.id} ${ms(s.ms)}`).join(', ')
      row(`5. npm run check ${c.lesson}, ${c.target}`, `${ms(c.wallMs)} (${c.passed ? 'passes' : 'fails'}: npm + checker ${ms(c.overheadMs)}; ${steps})`, '', '', '', c.target === 'solution' && c.passed ? '≤ 3 s' : '')
    }
    row('5. process start → banner / ready p50', ms(l.agentBannerMs.p50), ms(l.baselineReadyMs.p50), '', ratio(l.agentBannerMs.p50, l.baselineReadyMs.p50), 'no slower than baseline')
    row('5. node --import tsx, empty program', ms(l.tsxFloorMs), ms(l.tsxFloorMs), '', '', '')
  }

  const lim = r.limits
  if (lim != null) {
    row('6. peers in the agent\'s mesh (then lazy gossip)', String(lim.hubMeshDegree), '12 (D_hi)', String(lim.hubMeshDegree), '', '')
    row('6. peers whose links fit the topology report (64 KiB)', String(lim.topologyReportFits), '', '', '', '')
    row('6. connections the agent accepts · open files allowed', `${lim.maxConnections} · ${lim.openFiles ?? '—'}`, '', '', '', '')
  }

  const header = ['measure', 'LLMesh', 'plain js-libp2p (gossipsub defaults)', 'plain js-libp2p, hub-tuned', 'ratio', 'target']
  return [header, header.map(() => '---'), ...rows].map(cells => `| ${cells.join(' | ')} |`).join('\n')
}

/** All-delivered p99 against peers, one column per size, for the agent (A) and the tuned plain hub (P). */
export function scalingPlot (r: BenchResults): string {
  const sizes = [...new Set(r.scale.map(s => s.peers))].sort((a, b) => a - b)
  const value = (hub: string, peers: number): number | undefined => {
    const s = r.scale.find(x => x.hub === hub && x.peers === peers && x.compiled !== true)
    return s == null || s.allDelivered === 0 ? undefined : s.allDeliveredMs.p99
  }
  const all = sizes.flatMap(n => [value('agent', n), value('plain-tuned', n)]).filter((v): v is number => v != null)
  if (all.length === 0) return ''
  const top = Math.max(...all)
  const height = 8
  const lines: string[] = []
  for (let level = height; level >= 1; level--) {
    const threshold = top * level / height
    const label = level === height || level === 1 ? ms(threshold).padStart(8) : ''.padStart(8)
    const cells = sizes.map(n => {
      const a = value('agent', n)
      const p = value('plain-tuned', n)
      return ` ${a != null && a >= threshold - top / height / 2 ? 'A' : ' '}${p != null && p >= threshold - top / height / 2 ? 'P' : ' '}   `
    })
    lines.push(`${label} |${cells.join('')}`)
  }
  lines.push(`${''.padStart(8)} +${sizes.map(() => '------').join('')}`)
  lines.push(`${'peers'.padStart(8)}  ${sizes.map(n => String(n).padEnd(6)).join('')}`)
  return `all-delivered p99 (A = LLMesh agent, P = plain js-libp2p hub-tuned)\n${lines.join('\n')}`
}

/** The README's block between `<!-- bench -->` and `<!-- /bench -->`: the machine, the table, the curve. */
export function readmeBlock (r: BenchResults): string {
  const m = r.machine
  const plot = scalingPlot(r)
  return [
    '<!-- bench -->',
    `**${(r as { partial?: boolean }).partial === true ? 'A run cut short (figures 1 and 6 only)' : 'Latest full run'}:** ${r.at.slice(0, 16).replace('T', ' ')} UTC${r.durationS != null ? `, ${r.durationS} s` : ''}; ${m.cores} cores (${m.cpus}), ${m.memoryGB} GB, Node ${m.node.replace(/^v/, '')}; ` +
      `load average ${m.loadBefore[0]}${m.loadAfter != null ? ` → ${m.loadAfter[0]}` : ''}, CPU pressure ${m.cpuPressureBefore ?? '?'} %${m.cpuPressureAfter != null ? ` → ${m.cpuPressureAfter} %` : ''}.`,
    '',
    renderTable(r),
    ...(plot === '' ? [] : ['', '```', plot, '```']),
    '<!-- /bench -->'
  ].join('\n')
}

/** Replace the README's bench block with `block`; false when the README has no such block. */
export function replaceReadmeBlock (readme: string, block: string): string | undefined {
  const start = readme.indexOf('<!-- bench -->')
  const end = readme.indexOf('<!-- /bench -->')
  if (start < 0 || end < start) return undefined
  return readme.slice(0, start) + block + readme.slice(end + '<!-- /bench -->'.length)
}
