/**
 * @module The compare report as a text table: one row per figure, token mode beside session mode, every
 * number with its unit; "—" where a mode or a figure could not be measured (the report itself comes from
 * @tessera/server's `measureComparison`, the same one `GET /api/compare` keeps).
 */
import type { ComparisonReport, ModeReport } from '@tessera/server'

const DASH = '—'

function micros(value: number | null): string {
  return value === null ? `${DASH} (no Server-Timing)` : `${value} µs`
}

/** What the server's work per request was made of, as its Server-Timing names the parts. */
function parts(mode: ModeReport): string {
  if (mode.server_work_parts.length === 0) return DASH
  return mode.server_work_parts.map((part) => `${part.description} ${part.microseconds} µs`).join(' + ')
}

export function reportTable(report: ComparisonReport): string {
  const t = report.token
  const s: ModeReport | undefined = report.session.available ? report.session : undefined
  const rows: [string, string, string][] = [
    ['credential sent with each request', t.credential, s ? s.credential : DASH],
    [
      'credential bytes per request',
      `${t.credential_bytes_per_request} B`,
      s ? `${s.credential_bytes_per_request} B` : DASH,
    ],
    [
      'credential value',
      `${t.credential_value_bytes} B access token`,
      s ? `${s.credential_value_bytes} B session id` : DASH,
    ],
    [
      'server work per request (median)',
      micros(t.server_work_microseconds_per_request),
      s ? micros(s.server_work_microseconds_per_request) : DASH,
    ],
    ['  of which', parts(t), s ? parts(s) : DASH],
    [
      'store read per request',
      t.store_lookup_per_request === null ? DASH : t.store_lookup_per_request ? 'yes' : 'no',
      s ? (s.store_lookup_per_request === null ? DASH : s.store_lookup_per_request ? 'yes' : 'no') : DASH,
    ],
    ['signature check alone', `${t.signature_check_microseconds} µs (${t.signature_alg})`, 'none'],
    [
      'GET requests per second',
      `${t.requests_per_second} req/s`,
      s ? `${s.requests_per_second} req/s` : DASH,
    ],
    [
      'latency p50 / p99',
      `${t.latency_p50_ms} / ${t.latency_p99_ms} ms`,
      s ? `${s.latency_p50_ms} / ${s.latency_p99_ms} ms` : DASH,
    ],
    ['requests (errors)', `${t.requests} (${t.errors})`, s ? `${s.requests} (${s.errors})` : DASH],
    [
      'resource server with the JWKS',
      `${t.resource_server.requests_per_second} req/s, ${t.resource_server.latency_p50_ms} / ${t.resource_server.latency_p99_ms} ms`,
      'none (it would call the session store)',
    ],
  ]
  const widths = [0, 1, 2].map((i) =>
    Math.max(['', 'token mode', 'session mode'][i]!.length, ...rows.map((row) => row[i]!.length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [
    `tessera compare: ${report.instances > 1 ? `${report.instances} instances (${report.urls.join(', ')})` : report.url}, ${report.duration_seconds_per_mode} s per load, ${report.connections} connections`,
    '',
    line(['', 'token mode', 'session mode']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `revocation, token mode: ${t.revocation}`,
    `revocation, session mode: ${s ? s.revocation : DASH}`,
    `to add an instance, token mode needs: ${t.second_instance_needs}`,
    `to add an instance, session mode needs: ${s ? s.second_instance_needs : DASH}`,
    '',
  ]
  if (!report.session.available) out.push(`session mode: NOT MEASURED. ${report.session.missing}`, '')
  out.push(
    ...report.notes
      .filter((note) => !note.startsWith('Session mode was not measured'))
      .map((note) => `note: ${note}`),
  )
  return `${out.join('\n')}\n`
}
