/**
 * @module The one sessions-vs-tokens report shape, produced by `measureComparison` for both
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

/** One named part of the server's work on a request, as its `Server-Timing` header names it. */
export interface WorkPart {
  name: string
  /** The header's own words for it (`desc`), e.g. "signature check". */
  description: string
  /** In the request with the median total, so the parts are within it. */
  microseconds: number
}

export interface ModeReport extends LoadFigures {
  available: true
  credential: string
  credential_bytes_per_request: number
  credential_value_bytes: number
  /** Median `total` of the protected endpoint's Server-Timing; null when the server sends none. */
  server_work_microseconds_per_request: number | null
  /** The parts of that work, in the order the server did them (empty without Server-Timing). */
  server_work_parts: WorkPart[]
  /** Whether the server read its store to authenticate the request (a Server-Timing part says so). */
  store_lookup_per_request: boolean | null
  revocation: string
  /** After a logout on the first instance, how long until the last one refused the credential; null: not within 2 s. */
  revocation_refused_after_ms: number | null
  second_instance_needs: string
}

export interface TokenModeReport extends ModeReport {
  /** What a resource server verifying alone spends: the signature check, no store. */
  signature_check_microseconds: number
  signature_alg: string
  access_token_lifetime_seconds: number
  /** A resource server started by the measurement, checking the token with the issuer's JWKS only. */
  resource_server: LoadFigures & { verifies_with: string }
}

export interface NotMeasured {
  available: false
  missing: string
}

export interface ComparisonReport {
  url: string
  /** Every instance the load was spread over (the first is `url`). */
  urls: string[]
  instances: number
  measured_at: string
  duration_seconds_per_mode: number
  connections: number
  token: TokenModeReport
  session: ModeReport | NotMeasured
  notes: string[]
}
