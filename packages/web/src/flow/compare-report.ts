/**
 * @module The comparison report of GET /api/compare (the one shape @tessera/server's `measureComparison`
 * produces for the server and for `tessera compare --json`) as table rows and chart pairs: one row per
 * figure, a mode reported as `{ available: false, missing }` keeps its reason, and the chart pairs the
 * numeric figures the issue asks for. Pure: tested without a browser.
 */

/** What the page reads of the report; the figures are flat, with their units in their names. */
export interface CompareReport {
  token: Record<string, unknown>
  session: Record<string, unknown>
  notes?: unknown[]
  url?: string
  measured_at?: string
  duration_seconds_per_mode?: number
  connections?: number
  instances?: number
}

export interface CompareRow {
  name: string
  token: unknown
  session: unknown
}

export interface ChartPair {
  /** The field name, which also names the pair's label (`compare.field.<name>`). */
  name: string
  token: number
  session: number
}

/** Why a mode was not measured, when the report says so (`{ available: false, missing }`). */
export function missingReason(mode: Record<string, unknown>): string | undefined {
  if (mode.available !== false) return undefined
  return typeof mode.missing === 'string' ? mode.missing : ''
}

interface Part {
  description?: unknown
  microseconds?: unknown
}

/** A figure as one table cell: the server's named parts joined ("signature check 12 µs + …"). */
function flat(name: string, value: unknown): unknown {
  if (name !== 'server_work_parts' || !Array.isArray(value)) return value
  const parts = (value as Part[]).map((p) => `${String(p.description)} ${String(p.microseconds)} µs`)
  return parts.length > 0 ? parts.join(' + ') : undefined
}

/**
 * One row per figure either mode reports, in the report's order; `available`/`missing` are not figures,
 * and the resource server (its own chart) gives one row: its requests per second.
 */
export function compareRows(report: CompareReport): CompareRow[] {
  const names = [...new Set([...Object.keys(report.token), ...Object.keys(report.session)])].filter(
    (name) => name !== 'available' && name !== 'missing',
  )
  return names.map((name) => {
    if (name === 'resource_server') {
      const rps = (report.token.resource_server as Record<string, unknown> | undefined)?.requests_per_second
      return { name: 'resource_server_requests_per_second', token: rps, session: undefined }
    }
    return { name, token: flat(name, report.token[name]), session: flat(name, report.session[name]) }
  })
}

export interface ThroughputBar {
  name: 'session' | 'token' | 'resource'
  requests_per_second: number
  latency_p50_ms: number
  latency_p99_ms: number
}

/** The three checks side by side: session lookup, token check at the issuer, resource server with the JWKS. */
export function throughputBars(report: CompareReport): ThroughputBar[] {
  const sources: [ThroughputBar['name'], unknown][] = [
    ['session', report.session],
    ['token', report.token],
    ['resource', report.token.resource_server],
  ]
  return sources.flatMap(([name, figures]) => {
    const f = figures as Record<string, unknown> | undefined
    const rps = f?.requests_per_second
    if (!f || f.available === false || typeof rps !== 'number') return []
    const p50 = typeof f.latency_p50_ms === 'number' ? f.latency_p50_ms : 0
    const p99 = typeof f.latency_p99_ms === 'number' ? f.latency_p99_ms : 0
    return [{ name, requests_per_second: rps, latency_p50_ms: p50, latency_p99_ms: p99 }]
  })
}

// What the issue asks the chart to show: credential cost, server work, throughput and latency.
const CHART = [
  'credential_value_bytes',
  'credential_bytes_per_request',
  'server_work_microseconds_per_request',
  'requests_per_second',
  'latency_p50_ms',
  'latency_p99_ms',
] as const

/** The chart's bar pairs: each figure above that both modes report as a number (none for an unmeasured mode). */
export function chartPairs(report: CompareReport): ChartPair[] {
  const { token, session } = report
  return CHART.filter((name) => typeof token[name] === 'number' && typeof session[name] === 'number').map(
    (name) => ({ name, token: token[name] as number, session: session[name] as number }),
  )
}
