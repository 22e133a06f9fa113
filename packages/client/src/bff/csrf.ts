/**
 * @module CSRF defence for the BFF's cookie-authenticated requests, the rule of the Tessera server's
 * session mode: Fetch Metadata first (`Sec-Fetch-Site: same-origin` passes), else an `Origin` on the
 * allow-list, and a refusal when neither header is there — a cookie alone never authorizes a state change
 * (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata" and "Verifying Origin").
 */
import type { HeaderValue } from './cookies.js'
import { BffCsrfRejected } from './errors.js'

/** Methods that change nothing: RFC 9110 §9.2.1's safe methods. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

const first = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value)

/** Throws BffCsrfRejected unless the request comes from the app's own origin or an allowed one. */
export function checkSameOrigin(
  headers: { 'sec-fetch-site'?: HeaderValue; origin?: HeaderValue },
  allowedOrigins: readonly string[],
): void {
  const site = first(headers['sec-fetch-site'])
  const origin = first(headers.origin)
  if (site === 'same-origin') return
  if (origin !== undefined && origin !== 'null' && allowedOrigins.includes(origin)) return
  if (site !== undefined)
    throw new BffCsrfRejected(
      `a cookie-authenticated request from another origin (Sec-Fetch-Site: ${site.slice(0, 20)}) was refused`,
    )
  throw new BffCsrfRejected(
    origin === undefined
      ? 'a cookie-authenticated request needs an Origin or Sec-Fetch-Site header (send it from the browser app)'
      : 'a cookie-authenticated request from an origin the BFF does not allow was refused',
  )
}
