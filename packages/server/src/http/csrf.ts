/**
 * @module CSRF defence for requests a browser authenticates by cookie (the refresh cookie here; session
 * cookies in session mode). Fetch Metadata first (`Sec-Fetch-Site`, sent by every current browser), the
 * `Origin` header against an allow-list when the request is not same-origin or carries no metadata, and a
 * refusal when neither header is there: a cookie alone never authorizes a state change (OWASP CSRF
 * Prevention Cheat Sheet, "Fetch Metadata" and "Verifying Origin").
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { CsrfRejected } from '../errors.js'

export interface CsrfHeaders {
  'sec-fetch-site'?: string | string[] | undefined
  origin?: string | string[] | undefined
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/**
 * Throws CsrfRejected unless the request comes from our own origin or an allowed one. With `token`
 * (session mode's synchronizer token), a client that sends neither header — not a browser, or a very old
 * one — passes by presenting that token in `X-CSRF-Token` instead (OWASP "Synchronizer Token Pattern").
 */
export function checkCookieRequestOrigin(
  headers: CsrfHeaders,
  allowedOrigins: readonly string[],
  token?: { expected: string | null; presented: string | string[] | undefined },
): void {
  const site = first(headers['sec-fetch-site'])
  const origin = first(headers.origin)
  if (site === 'same-origin') return
  if (origin !== undefined && origin !== 'null' && allowedOrigins.includes(origin)) return
  if (site === undefined && origin === undefined && token !== undefined) {
    if (tokenMatches(token.expected, first(token.presented))) return
    throw new CsrfRejected(
      'a cookie-authenticated request without Origin or Sec-Fetch-Site needs the X-CSRF-Token header (csrf_token from /session/login or /session/me)',
    )
  }
  if (site !== undefined) {
    throw new CsrfRejected(
      `a cookie-authenticated request from another site (Sec-Fetch-Site: ${site.slice(0, 20)}) was refused`,
    )
  }
  throw new CsrfRejected(
    origin === undefined
      ? 'a cookie-authenticated request needs an Origin or Sec-Fetch-Site header (send it from the browser app)'
      : 'a cookie-authenticated request from an origin not in --allowed-origins was refused',
  )
}

/** Constant-time comparison (hashing first makes the lengths equal, so nothing leaks through them). */
function tokenMatches(expected: string | null, presented: string | undefined): boolean {
  if (!expected || !presented) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(expected), digest(presented))
}

/**
 * Login CSRF (OWASP: an attacker logging the victim into the attacker's account): a browser request from
 * another site is refused. A client sending neither header is not a browser, so it cannot be forged.
 */
export function checkLoginRequestOrigin(headers: CsrfHeaders, allowedOrigins: readonly string[]): void {
  const site = first(headers['sec-fetch-site'])
  const origin = first(headers.origin)
  if (site === undefined && origin === undefined) return
  checkCookieRequestOrigin(headers, allowedOrigins)
}
