/**
 * @module Which mode wins where, and why, decided from the measured report alone: size, per-request
 * work, requests per second, scale-out and instant revocation. Each verdict names a catalogue message
 * and its figures; a verdict whose figures are missing is left out rather than guessed. Pure: tested
 * without a browser.
 */
import type { CompareReport } from './compare-report.js'

export type Winner = 'token' | 'session' | 'tie'

export interface Verdict {
  topic: 'size' | 'work' | 'throughput' | 'scale' | 'revocation'
  winner: Winner
  /** A `compare.verdict.*` message key. */
  key: string
  params: Record<string, string | number>
}

interface Part {
  name?: unknown
  description?: unknown
  microseconds?: unknown
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(1)) : 0)

/** "signature check 12 µs + revocation-set check 1 µs", as the server's Server-Timing named the parts. */
export function partsText(mode: Record<string, unknown>): string {
  const parts = Array.isArray(mode.server_work_parts) ? (mode.server_work_parts as Part[]) : []
  return parts
    .filter((p) => typeof p.description === 'string' && typeof p.microseconds === 'number')
    .map((p) => `${p.description} ${p.microseconds} µs`)
    .join(' + ')
}

/** Whether the issuer checks tokens against a revocation set it is sent (the feed), not the store. */
export function followsFeed(token: Record<string, unknown>): boolean {
  const parts = Array.isArray(token.server_work_parts) ? (token.server_work_parts as Part[]) : []
  return parts.some((p) => p.name === 'revocation')
}

export function verdicts(report: CompareReport): Verdict[] {
  const { token, session } = report
  if (token.available === false || session.available === false) return []
  const out: Verdict[] = []
  const tBytes = num(token.credential_bytes_per_request)
  const sBytes = num(session.credential_bytes_per_request)
  if (tBytes !== undefined && sBytes !== undefined) {
    out.push({
      topic: 'size',
      winner: sBytes < tBytes ? 'session' : tBytes < sBytes ? 'token' : 'tie',
      key: 'compare.verdict.size',
      params: { token: tBytes, session: sBytes, ratio: ratio(tBytes, sBytes) },
    })
  }
  const tWork = num(token.server_work_microseconds_per_request)
  const sWork = num(session.server_work_microseconds_per_request)
  const lookup = token.store_lookup_per_request
  if (tWork !== undefined && sWork !== undefined) {
    const tokenWins = tWork < sWork
    out.push({
      topic: 'work',
      winner: tokenWins ? 'token' : 'session',
      key: tokenWins
        ? lookup === false
          ? 'compare.verdict.workTokens'
          : 'compare.verdict.workTokensLookup'
        : 'compare.verdict.workSessions',
      params: { token: tWork, session: sWork, parts: partsText(token) || '—' },
    })
  }
  const tRps = num(token.requests_per_second)
  const sRps = num(session.requests_per_second)
  const resource = token.resource_server as Record<string, unknown> | undefined
  const rRps = num(resource?.requests_per_second)
  if (tRps !== undefined && sRps !== undefined) {
    out.push({
      topic: 'throughput',
      winner: tRps > sRps ? 'token' : 'session',
      key: tRps > sRps ? 'compare.verdict.throughputTokens' : 'compare.verdict.throughputSessions',
      params: { token: tRps, session: sRps, ratio: ratio(tRps, sRps), resource: rRps ?? '—' },
    })
  }
  if (typeof lookup === 'boolean') {
    out.push({
      topic: 'scale',
      winner: lookup ? 'tie' : 'token',
      key: lookup ? 'compare.verdict.scaleTie' : 'compare.verdict.scaleTokens',
      params: { instances: num(report.instances) ?? 1 },
    })
  }
  const feed = followsFeed(token)
  out.push({
    topic: 'revocation',
    winner: feed ? 'tie' : 'session',
    key: feed ? 'compare.verdict.revocationFeed' : 'compare.verdict.revocationStore',
    params: {
      token: num(token.revocation_refused_after_ms) ?? '—',
      session: num(session.revocation_refused_after_ms) ?? '—',
      lifetime: num(token.access_token_lifetime_seconds) ?? '—',
    },
  })
  return out
}
