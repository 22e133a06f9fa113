/**
 * @module The `tessera compare` report (GET /api/compare) as rows and chart pairs: nested figures are
 * flattened to dotted names (`me.requests_per_second`), a mode reported as `available: false` keeps its
 * reason, and the chart pairs the figures the issue asks for (credential size, bytes per request,
 * requests/s, latency). Pure: tested without a browser.
 */

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
  /** A field name whose label names the pair (`compare.field.<name>`). */
  name: string
  token: number
  session: number
}

/** `{ me: { requests: 3 } }` → `{ 'me.requests': 3 }`. Arrays and scalars are leaves. */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [key, member] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key
    if (member !== null && typeof member === 'object' && !Array.isArray(member)) {
      flatten(member as Record<string, unknown>, name, out)
    } else out[name] = member
  }
  return out
}

/** Why a mode was not measured, when the report says so (`{ available: false, missing }`). */
export function missingReason(mode: Record<string, unknown>): string | undefined {
  if (mode.available !== false) return undefined
  return typeof mode.missing === 'string' ? mode.missing : ''
}

/** One row per figure either mode reports, in the report's order; the `available` flag is not a figure. */
export function compareRows(report: CompareReport): CompareRow[] {
  const token = flatten(report.token)
  const session = flatten(report.session)
  const names = [...new Set([...Object.keys(token), ...Object.keys(session)])].filter(
    (name) => name !== 'available' && name !== 'missing',
  )
  return names.map((name) => ({ name, token: token[name], session: session[name] }))
}

// [label field, token-mode field, session-mode field]: what the issue asks the chart to show. Two
// report shapes exist: the server's own run (flat) and `tessera compare`'s (`me.*`, `access_token_bytes`).
const CHART: ReadonlyArray<readonly [string, string, string]> = [
  ['credential_bytes', 'access_token_bytes', 'session_cookie_bytes'],
  ['credential_value_bytes', 'credential_value_bytes', 'credential_value_bytes'],
  [
    'credential_header_bytes_per_request',
    'credential_header_bytes_per_request',
    'credential_header_bytes_per_request',
  ],
  ['credential_bytes_per_request', 'credential_bytes_per_request', 'credential_bytes_per_request'],
  [
    'server_work_microseconds_per_request',
    'server_work_microseconds_per_request',
    'server_work_microseconds_per_request',
  ],
  ['me.requests_per_second', 'me.requests_per_second', 'me.requests_per_second'],
  ['requests_per_second', 'requests_per_second', 'requests_per_second'],
  ['me.latency_p50_ms', 'me.latency_p50_ms', 'me.latency_p50_ms'],
  ['latency_p50_ms', 'latency_p50_ms', 'latency_p50_ms'],
  ['me.latency_p99_ms', 'me.latency_p99_ms', 'me.latency_p99_ms'],
  ['latency_p99_ms', 'latency_p99_ms', 'latency_p99_ms'],
]

/** The chart's bar pairs: the known figures when present in both modes, else every shared numeric figure. */
export function chartPairs(report: CompareReport): ChartPair[] {
  const token = flatten(report.token)
  const session = flatten(report.session)
  const known = CHART.filter(
    ([, a, b]) => typeof token[a] === 'number' && typeof session[b] === 'number',
  ).map(([name, a, b]) => ({ name, token: token[a] as number, session: session[b] as number }))
  if (known.length > 0) return known
  return Object.keys(token)
    .filter((name) => typeof token[name] === 'number' && typeof session[name] === 'number')
    .map((name) => ({ name, token: token[name] as number, session: session[name] as number }))
}
