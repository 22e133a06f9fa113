/**
 * @module The sessions-vs-tokens comparison, measured over HTTP against any Tessera server (one instance
 * or several sharing a store): a user (given, or a throwaway one registered here) logs in both ways; for
 * each mode it counts the bytes the credential costs every request, reads the server's own work per
 * request part by part (Server-Timing), loads `/me`, `/session/me` and a resource server verifying with
 * the JWKS from a worker thread, and observes when a logout takes effect on another instance. Nothing is
 * estimated. `GET /api/compare` (the server against itself) and `tessera compare`
 * (any URL) both run this.
 */
import { randomBytes } from 'node:crypto'
import { CompareFailed } from '../errors.js'
import { call, expectStatus } from './http.js'
import { measureSession } from './measure-session.js'
import { measureToken } from './measure-token.js'
import type { ComparisonReport } from './report.js'
import { TIMING_SAMPLES } from './timing.js'

export interface MeasureOptions {
  /** The measured server's base URL. */
  url: string
  /** Other instances of the same deployment (same store): load is spread over all, logout is seen on the last. */
  also?: string[] | undefined
  /** Load per mode. */
  durationMs: number
  connections: number
  /** Log in as this user; without it a throwaway user is registered through POST /auth/register. */
  account?: { username: string; password: string } | undefined
  /** Whether the issuer still calls an access token active (in-process introspection); absent: not observed. */
  introspect?: ((accessToken: string) => Promise<boolean>) | undefined
  /** The session store, named for `second_instance_needs` (e.g. "the SQLite file, or Redis with --redis"). */
  sessionStore?: string | undefined
  /** Time of `measured_at` (ms since the epoch); Date.now by default. */
  now?: (() => number) | undefined
}

/** A fresh user through /auth/register: 24 random base64url characters fit any length policy. */
async function register(base: string): Promise<{ username: string; password: string }> {
  const username = `compare-${randomBytes(6).toString('hex')}`
  const password = randomBytes(18).toString('base64url')
  const result = await call(base, 'POST', '/auth/register', { json: { username, password } })
  if (result.status === 404 || result.status === 403) {
    throw new CompareFailed(
      'this server does not allow registration: measure as an existing user (tessera compare --username, with the password in TESSERA_COMPARE_PASSWORD)',
    )
  }
  if (result.status !== 200 && result.status !== 201) expectStatus(result, 201, 'POST /auth/register')
  return { username, password }
}

function describeParts(mode: { server_work_parts: { description: string }[] }): string {
  return mode.server_work_parts.length === 0
    ? 'no Server-Timing'
    : mode.server_work_parts.map((part) => part.description).join(', then ')
}

export async function measureComparison(options: MeasureOptions): Promise<ComparisonReport> {
  const { url, durationMs, connections } = options
  const user = options.account ?? (await register(url))
  const token = await measureToken(options, user)
  const session = await measureSession(options, user)
  const urls = [url, ...(options.also ?? [])]
  const notes = [
    `Measured over HTTP against ${urls.length === 1 ? url : `${urls.length} instances (${urls.join(', ')})`}: ${durationMs / 1000} s each of GET /me, of GET /session/me and of a resource server, ${connections} keep-alive connections from a worker thread (closed loop); compare the modes with each other, not with other machines.`,
    `server_work_microseconds_per_request is the median of ${TIMING_SAMPLES} requests' Server-Timing "total", as the server reports its own work; server_work_parts names each part it timed inside that request's total (token: ${describeParts(token)}; session: ${session.available ? describeParts(session) : 'not measured'}).`,
    'signature_check_microseconds is the signature check alone, timed with @tessera/jose in the measuring process; resource_server is a node:http server started by the measurement, verifying each request with createRequestVerifier over the issuer’s JWKS (no call to the issuer, no store).',
    'Bytes count the whole request-header line that carries the credential; the refresh token travels only to /auth/refresh.',
  ]
  if (!session.available) notes.push(`Session mode was not measured: ${session.missing}.`)
  if (!options.account) {
    notes.push(
      `The throwaway user "${user.username}" stays in the store (logged out); remove its access with "tessera users disable ${user.username}".`,
    )
  }
  return {
    url,
    urls,
    instances: urls.length,
    measured_at: new Date(options.now?.() ?? Date.now()).toISOString(),
    duration_seconds_per_mode: durationMs / 1000,
    connections,
    token,
    session,
    notes,
  }
}
