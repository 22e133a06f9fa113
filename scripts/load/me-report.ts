/**
 * @module The `me` scenario's figures as a Markdown table with the ratios beside their targets, or as
 * JSON (`--json`).
 */
import type { ColdRound } from './me-cold.js'
import type { Run } from './me-runs.js'

export interface MeReport {
  runs: Run[]
  connections: number
  durationSeconds: number
  users: number
  baselinePath: string
  verifiesPerSecond: number
  coldLimitRequestsPerSecond: number
  /** Each cold round beside the limit measured just before and just after it. */
  coldRounds: ColdRound[]
  /** The server's own Server-Timing `signature` part on the cold path (median µs), idle and under load. */
  coldSignatureUs: { idle: number; underLoad: number; samples: number }
  ratios: {
    meOverHealthz: number
    tokenOverSessionSqlite: number
    coldOverLimit: number
    /** GET /me with DPoP (a proof per request) ÷ GET /me with Bearer, same server, same users. */
    dpopOverBearer: number
    tokenOverSessionThree?: number
  }
  logout?: { medianMs: number; maxMs: number; count: number; refusedAtFirstAsk: number }
}

const x = (ratio: number) => `${ratio.toFixed(2)}×`
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
const coldRange = (rounds: ColdRound[]) => {
  const each = rounds.map((r) => r.ratio)
  return `${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)}×`
}

export function printMe(report: MeReport, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return
  }
  const out = process.stdout
  out.write(
    `\n${report.users} users, ${report.connections} connections (each cycling through its share of the tokens or cookies), ${report.durationSeconds} s per run, node ${process.version}, loopback\n\n`,
  )
  out.write(
    '| run | instances | connections | req/s | p50 ms | p99 ms | requests | errors | server CPU µs/req | load generator CPU µs/req |\n',
  )
  out.write('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n')
  for (const r of report.runs) {
    const store = r.instances === 3 ? 'PostgreSQL + Redis' : 'SQLite'
    out.write(
      `| ${r.name} | ${r.instances} (${store}) | ${r.connections} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.requests} | ${r.errors} | ${r.serverCpuUsPerRequest ?? '–'} | ${r.loadCpuUsPerRequest ?? '–'} |\n`,
    )
  }
  const { ratios } = report
  out.write('\n| ratio | measured | target | |\n|---|---:|---:|---|\n')
  out.write(
    `| GET /me ÷ GET ${report.baselinePath} (one instance) | ${x(ratios.meOverHealthz)} | ≥ 0.85× | ${verdict(ratios.meOverHealthz >= 0.85)} |\n`,
  )
  out.write(
    `| token check ÷ session lookup, one instance (SQLite) | ${x(ratios.tokenOverSessionSqlite)} | ≥ 1.3× | ${verdict(ratios.tokenOverSessionSqlite >= 1.3)} |\n`,
  )
  if (ratios.tokenOverSessionThree !== undefined) {
    out.write(
      `| token check ÷ session lookup, three instances (PostgreSQL + Redis) | ${x(ratios.tokenOverSessionThree)} | > 1× | ${verdict(ratios.tokenOverSessionThree > 1)} |\n`,
    )
  }
  out.write(
    `| cold path ÷ limit (${report.coldLimitRequestsPerSecond} req/s = 1 / (1/rate of ${report.baselinePath} + 1/rate of ES256 verify, ${report.verifiesPerSecond}/s in-process), over ${report.coldRounds.length} rounds: ${coldRange(report.coldRounds)} each) | ${x(ratios.coldOverLimit)} | ≥ 0.8× | ${verdict(ratios.coldOverLimit >= 0.8)} |\n`,
  )
  out.write(
    `| GET /me with DPoP (a new proof per request: its signature check and replay entry) ÷ with Bearer, same server and users | ${x(ratios.dpopOverBearer)} | — | measured |\n`,
  )
  const sig = report.coldSignatureUs
  out.write(
    `\ncold path: the server's Server-Timing signature part (its verifier), median ${sig.idle} µs on the idle server, ${sig.underLoad} µs during the cold rounds (${sig.samples} samples); the limit counts ${Math.round(1e6 / report.verifiesPerSecond)} µs (the in-process rate)\n`,
  )
  if (report.logout) {
    const l = report.logout
    out.write(
      `\nlogout on A → refusal on B (three instances, PostgreSQL + Redis), ${l.count} logouts: median ${l.medianMs} ms, max ${l.maxMs} ms (target ≤ 1000 ms: ${verdict(l.maxMs <= 1000)}); refused at the first ask after the logout answered: ${l.refusedAtFirstAsk} of ${l.count}\n`,
    )
  }
}
