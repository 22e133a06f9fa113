/**
 * @module The compare report as a text table: one row per figure, token mode beside session mode, every
 * number with its unit; "—" where a mode could not be measured.
 */
import type { CompareReport } from './measure.js'

export function reportTable(report: CompareReport): string {
  const t = report.token.available ? report.token : undefined
  const s = report.session.available ? report.session : undefined
  const dash = '—'
  const rows: [string, string, string][] = [
    [
      'credential bytes per request',
      t ? `${t.credential_header_bytes_per_request} B (Authorization)` : dash,
      s ? `${s.credential_header_bytes_per_request} B (Cookie)` : dash,
    ],
    [
      'credential itself',
      t ? `${t.access_token_bytes} B access token` : dash,
      s ? `${s.session_cookie_bytes} B cookie` : dash,
    ],
    [
      'server work per request',
      t ? `${t.signature_alg} signature check, ${t.signature_check_microseconds} µs` : dash,
      s ? 'session lookup in the store' : dash,
    ],
    [
      'GET /me requests per second',
      t ? `${t.me.requests_per_second} req/s` : dash,
      s ? `${s.me.requests_per_second} req/s` : dash,
    ],
    [
      'latency p50 / p99',
      t ? `${t.me.latency_p50_ms} / ${t.me.latency_p99_ms} ms` : dash,
      s ? `${s.me.latency_p50_ms} / ${s.me.latency_p99_ms} ms` : dash,
    ],
    [
      'requests (errors)',
      t ? `${t.me.requests} (${t.me.errors})` : dash,
      s ? `${s.me.requests} (${s.me.errors})` : dash,
    ],
    [
      'logout, at the auth server',
      t ? t.revocation.auth_server_after_logout : dash,
      s ? s.revocation.after_logout : dash,
    ],
    [
      'logout, at other verifiers',
      t ? t.revocation.local_verifiers_after_logout : dash,
      s ? s.revocation.after_logout : dash,
    ],
    [
      'a second server instance needs',
      t ? t.second_instance_needs : dash,
      s ? s.second_instance_needs : dash,
    ],
  ]
  const widths = [0, 1, 2].map((i) =>
    Math.max(...[['', 'token mode', 'session mode'][i]!.length, ...rows.map((row) => row[i]!.length)]),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [
    `tessera compare: ${report.url}, ${report.duration_seconds_per_mode} s per mode, ${report.connections} connections`,
    '',
    line(['', 'token mode', 'session mode']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
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
