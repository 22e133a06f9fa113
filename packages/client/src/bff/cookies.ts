/**
 * @module The BFF's two cookies: the session cookie and the short-lived sign-in cookie, both `__Host-`
 * (Secure, Path=/, no Domain: the browser refuses them from any other host or over plain HTTP — except on
 * localhost, which browsers treat as secure), HttpOnly (no page script reads them) and SameSite=Lax (sent
 * on the provider's top-level redirect back, never on a cross-site POST or fetch).
 */

export type HeaderValue = string | string[] | undefined

/** The value of cookie `name` in a `Cookie` request header. */
export function readCookie(header: HeaderValue, name: string): string | undefined {
  const joined = Array.isArray(header) ? header.join('; ') : (header ?? '')
  for (const part of joined.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** A `Set-Cookie` value; `maxAge` 0 clears the cookie, undefined makes it last for the browser session. */
export function hostCookie(name: string, value: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', 'SameSite=Lax']
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`)
  return parts.join('; ')
}

/** Checks a cookie name keeps the `__Host-` guarantees (a plain name would let a sibling subdomain set it). */
export function isHostCookieName(name: string): boolean {
  return /^__Host-[A-Za-z0-9_-]+$/.test(name)
}
