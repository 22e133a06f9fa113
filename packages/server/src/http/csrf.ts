/**
 * @module CSRF defence for requests a browser authenticates by cookie (the refresh cookie here; session
 * cookies in session mode). Fetch Metadata first (`Sec-Fetch-Site`, sent by every current browser), the
 * `Origin` header against an allow-list when the request is not same-origin or carries no metadata, and a
 * refusal when neither header is there: a cookie alone never authorizes a state change (OWASP CSRF
 * Prevention Cheat Sheet, "Fetch Metadata" and "Verifying Origin").
 */
import { CsrfRejected } from '../errors.js'

export interface CsrfHeaders {
  'sec-fetch-site'?: string | string[] | undefined
  origin?: string | string[] | undefined
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/** Throws CsrfRejected unless the request comes from our own origin or an allowed one. */
export function checkCookieRequestOrigin(headers: CsrfHeaders, allowedOrigins: readonly string[]): void {
  const site = first(headers['sec-fetch-site'])
  const origin = first(headers.origin)
  if (site === 'same-origin') return
  if (origin !== undefined && origin !== 'null' && allowedOrigins.includes(origin)) return
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
