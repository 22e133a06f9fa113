/**
 * @module The refresh comparison as a table (Markdown, ready for docs/benchmarks.md) or as JSON.
 */
import { availableParallelism } from 'node:os'
import type { Tree } from './tree.js'

export interface SideFigures {
  /** All rounds' requests over all rounds' seconds. */
  requestsPerSecond: number
  roundsRequestsPerSecond: number[]
  /** Median over the rounds of each round's p50 / p99. */
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  errors: number
  statuses: Record<string, number>
}

export interface ComparisonRow {
  backend: string
  baseline: SideFigures
  current: SideFigures
  /** current req/s ÷ baseline req/s, over all rounds. */
  ratio: number
  /** The same ratio for each round's pair (measured back to back), and its median: the noise shows. */
  pairRatios: number[]
  medianPairRatio: number
}

export interface Comparison {
  baseline: Tree
  current: Tree
  connections: number
  durationSeconds: number
  rounds: number
  warmupSeconds: number
  logLevel: string
  prepareSeconds: number
  measureSeconds: number
  /** The machine's 1-minute load average when measuring began and when it ended. */
  loadAverage: [number, number]
  rows: ComparisonRow[]
  json: boolean
}

const side = (tree: Tree) => ({ rev: tree.rev, commit: tree.commit })
const rps = (n: number) => String(Math.round(n))
const errorsOf = (f: SideFigures) => {
  const failed = Object.entries(f.statuses).filter(([status]) => !status.startsWith('2'))
  const other = f.errors - failed.reduce((sum, [, count]) => sum + count, 0)
  const parts = failed.map(([status, count]) => `${count}×${status}`)
  if (other > 0) parts.push(`${other}×no answer`)
  return parts.length ? parts.join(' ') : '0'
}

export function printComparison(c: Comparison): void {
  if (c.json) {
    const { json: _, baseline, current, ...rest } = c
    process.stdout.write(
      `${JSON.stringify({ baseline: side(baseline), current: side(current), ...rest }, null, 2)}\n`,
    )
    return
  }
  const out: string[] = [
    '',
    `POST /auth/refresh, baseline ${c.baseline.rev} (${c.baseline.commit}) vs current ${c.current.rev} (${c.current.commit})`,
    `${c.connections} connections (one user and one refresh chain each), ${c.rounds} rounds × ${c.durationSeconds} s per side, alternating (A B, B A, …), ${c.warmupSeconds} s warm-up; log level ${c.logLevel}; node ${process.version}, loopback`,
    '',
    '| backend | baseline req/s | current req/s | ratio | baseline p50 / p99 ms | current p50 / p99 ms | errors (baseline / current) |',
    '|---|---:|---:|---:|---:|---:|---|',
  ]
  for (const r of c.rows) {
    out.push(
      `| ${r.backend} | ${rps(r.baseline.requestsPerSecond)} | ${rps(r.current.requestsPerSecond)} | ${r.ratio.toFixed(2)}× | ${r.baseline.latencyP50Ms} / ${r.baseline.latencyP99Ms} | ${r.current.latencyP50Ms} / ${r.current.latencyP99Ms} | ${errorsOf(r.baseline)} / ${errorsOf(r.current)} |`,
    )
  }
  out.push('', 'req/s per round:')
  for (const r of c.rows) {
    out.push(
      `  ${r.backend}: baseline ${r.baseline.roundsRequestsPerSecond.map(rps).join(', ')}; current ${r.current.roundsRequestsPerSecond.map(rps).join(', ')}; ratio per pair ${r.pairRatios.map((x) => x.toFixed(2)).join(', ')} (median ${r.medianPairRatio.toFixed(2)})`,
    )
  }
  const cores = availableParallelism()
  const busy = Math.max(...c.loadAverage) > cores
  out.push(
    '',
    `prepared in ${Math.round(c.prepareSeconds)} s (worktree, install, builds), measured in ${Math.round(c.measureSeconds)} s; load average ${c.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on ${cores} cores${busy ? ' (busy: other work is in these figures, compare the ratios per pair)' : ''}`,
    '',
  )
  process.stdout.write(out.join('\n'))
}
