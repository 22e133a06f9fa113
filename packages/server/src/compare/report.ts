/**
 * @module The one sessions-vs-tokens report shape (issue 7), produced by `measureComparison` for both
 * `GET /api/compare` and `tessera compare --json`, read by the web page: every number carries its unit in
 * its field name; a mode the server lacks is `{ available: false, missing }`, never estimated.
 */

export interface LoadFigures {
  requests: number
  /** Answers with another status than the expected one, or failed connections. */
  errors: number
  duration_seconds: number
  requests_per_second: number
  latency_p50_ms: number
  latency_p99_ms: number
}

export interface ModeReport extends LoadFigures {
  available: true
  credential: string
  credential_bytes_per_request: number
  credential_value_bytes: number
  /** Median `Server-Timing: auth` of the protected endpoint; null when the server sends none. */
  server_work_microseconds_per_request: number | null
  revocation: string
  second_instance_needs: string
}

export interface TokenModeReport extends ModeReport {
  /** What a resource server verifying alone spends: the signature check, no store. */
  signature_check_microseconds: number
  signature_alg: string
  access_token_lifetime_seconds: number
}

export interface NotMeasured {
  available: false
  missing: string
}

export interface ComparisonReport {
  url: string
  measured_at: string
  duration_seconds_per_mode: number
  connections: number
  token: TokenModeReport
  session: ModeReport | NotMeasured
  notes: string[]
}
