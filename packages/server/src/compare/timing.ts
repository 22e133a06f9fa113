/**
 * @module The two per-request costs of authentication a comparison reports: the server's own (the
 * `auth` entry of the `Server-Timing` header of `/me` and `/session/me`, median of many sequential
 * requests) and a local signature check with the server's published key, as a resource server would do it.
 */
import { createVerifier, importJWK, type JWK } from '@tessera/jose'
import { CompareFailed } from '../errors.js'
import { call } from './http.js'

/** Sequential requests for the Server-Timing median: a stable middle, and quick enough for the demo run. */
export const TIMING_SAMPLES = 100

/** Median of the `auth` entry of Server-Timing over sequential requests, in µs; null if absent. */
export async function serverWorkMicros(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<number | null> {
  const durations: number[] = []
  for (let i = 0; i < TIMING_SAMPLES; i++) {
    const result = await call(base, 'GET', path, { headers })
    if (result.status !== 200) throw new CompareFailed(`GET ${path} answered HTTP ${result.status}`)
    const match = /(?:^|,)\s*auth;[^,]*dur=([\d.]+)/.exec(result.headers.get('server-timing') ?? '')
    if (!match) return null
    durations.push(Number(match[1]))
  }
  durations.sort((a, b) => a - b)
  // Server-Timing has microsecond resolution at best; never report 0 for work that was done.
  return Math.max(1, Math.round(durations[Math.floor(durations.length / 2)]! * 1000))
}

/** Microseconds per verification of `token` with the server's published key, in this process. */
export async function signatureCheck(token: string, jwks: { keys: JWK[] }) {
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    alg: string
    kid?: string
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0]
  if (!jwk) throw new CompareFailed('the server’s JWKS is empty; cannot check its tokens')
  const verify = createVerifier({ key: await importJWK(jwk, header.alg), algorithms: [header.alg] })
  // Warm up (JIT, header cache) so the figure is the steady state a long-running verifier sees; then
  // enough rounds to sit far above timer resolution (ES256 ≈ 100-300 µs here, so well under 1 s).
  for (let i = 0; i < 200; i++) verify(token)
  const rounds = 1000
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) verify(token)
  const micros = Math.max(1, Math.round(((performance.now() - t0) * 1000) / rounds))
  return { micros, alg: header.alg, verify }
}
