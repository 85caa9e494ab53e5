/**
 * `npx tsx agent/bench/profile-hub.ts [agent|plain-tuned] [peers]`: one star, the hub
 * run with `--cpu-prof`, to see where a hub's CPU goes while a classroom chats.
 * The profile lands in $BENCH_PROFILE_DIR (default: the system's temp directory).
 */
import '../../mesh/compat.ts'
import { tmpdir } from 'node:os'
import { Star } from './star.ts'
import type { HubKind } from './hubs.ts'

const hub = (process.argv[2] ?? 'agent') as HubKind
const peers = Number(process.argv[3] ?? 30)
const dir = process.env.BENCH_PROFILE_DIR ?? tmpdir()
const star = await Star.start(3, ['--cpu-prof', `--cpu-prof-dir=${dir}`])
try {
  const join = await star.open(hub, hub === 'agent' ? 'llmesh' : 'plain', peers)
  const result = await star.chat(hub, peers, 30, 50, 6000, join)
  console.log(JSON.stringify({ delivered: result.delivered, allDeliveredMs: result.allDeliveredMs, hubCpuPct: result.hubCpuPct, meshPeers: result.meshPeers }))
} finally {
  await star.stop()
}
console.log(`profile of the ${hub} hub in ${dir}`)
process.exit(0)
