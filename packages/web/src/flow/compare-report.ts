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

/** One row per figure either mode reports, in the report's order; `available`/`missing` are not figures. */
export function compareRows(report: CompareReport): CompareRow[] {
  const names = [...new Set([...Object.keys(report.token), ...Object.keys(report.session)])].filter(
    (name) => name !== 'available' && name !== 'missing',
  )
  return names.map((name) => ({ name, token: report.token[name], session: report.session[name] }))
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
