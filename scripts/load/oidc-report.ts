/**
 * @module The `oidc` scenario's figures as Markdown tables (rates against the targets, and where a
 * sign-in's time goes), or as JSON (`--json`).
 */

export interface OidcRow {
  name: string
  instances: number
  store: string
  connections: number
  /** Grants or complete sign-ins per second. */
  perSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  count: number
  errors: number
  /** One-minute load average when the run ended. */
  loadAverage: number
  target: number
  /** Server CPU (all instances, user + system) per grant or sign-in, milliseconds. */
  serverCpuMsEach: number
  /** Cores' worth of CPU the load generator itself used during the run. */
  clientCpuShare: number
}

export interface OidcReport {
  durationSeconds: number
  node: string
  cores: number
  rows: OidcRow[]
  /** Mean milliseconds of each step of a sign-in. */
  steps?: { authorize: number; token: number; userinfo: number }
  failures: string[]
  /** Server CPU milliseconds of each step (/authorize and /userinfo measured alone, /token the rest). */
  serverCpuMs?: { authorize: number; token: number; userinfo: number }
}

const ratio = (r: OidcRow) => r.perSecond / r.target

export function printOidc(report: OidcReport, json: boolean): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ...report, rows: report.rows.map((r) => ({ ...r, ratioToTarget: Math.round(ratio(r) * 100) / 100 })) }, null, 2)}\n`,
    )
    return
  }
  const out = process.stdout
  out.write(
    `\n${report.durationSeconds} s per run, node ${report.node}, ${report.cores} cores shared with the load generator, loopback\n\n`,
  )
  out.write(
    '| run | instances | connections | per s | p50 ms | p99 ms | count | errors | load avg | server CPU ms each | load generator cores | target | ratio |\n',
  )
  out.write('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n')
  for (const r of report.rows) {
    const met = ratio(r) >= 1 ? 'met' : 'NOT met'
    out.write(
      `| ${r.name} | ${r.instances} (${r.store}) | ${r.connections} | ${r.perSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.count} | ${r.errors} | ${r.loadAverage.toFixed(2)} | ${r.serverCpuMsEach.toFixed(2)} | ${r.clientCpuShare.toFixed(2)} | ≥ ${r.target} | ${ratio(r).toFixed(2)}× ${met} |\n`,
    )
  }
  if (report.steps) {
    const s = report.steps
    const c = report.serverCpuMs ?? { authorize: 0, token: 0, userinfo: 0 }
    const total = s.authorize + s.token + s.userinfo
    const cpuTotal = c.authorize + c.token + c.userinfo
    const pct = (v: number, of: number) => `${of ? Math.round((v / of) * 100) : 0} %`
    out.write(
      '\nWhere a sign-in’s time goes: latency as the client sees it (mean per successful sign-in), and server CPU (/authorize and /userinfo measured alone, /token what is left of a sign-in):\n\n',
    )
    out.write('| step | mean ms | share | server CPU ms | share |\n|---|---:|---:|---:|---:|\n')
    const line = (name: string, key: 'authorize' | 'token' | 'userinfo') =>
      out.write(
        `| ${name} | ${s[key].toFixed(2)} | ${pct(s[key], total)} | ${c[key].toFixed(2)} | ${pct(c[key], cpuTotal)} |\n`,
      )
    line('GET /authorize (session → code)', 'authorize')
    line('POST /token (code + PKCE → tokens)', 'token')
    line('GET /userinfo', 'userinfo')
  }
  if (report.failures.length > 0) out.write(`\nfailures seen: ${report.failures.join('; ')}\n`)
}
