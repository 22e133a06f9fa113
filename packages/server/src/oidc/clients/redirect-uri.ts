/**
 * @module Redirect-URI matching: the presented URI must be one of the registered ones character for
 * character (no prefix, wildcard, normalisation or case folding; RFC 9700 §4.1.3). The one exception is
 * RFC 8252 §7.3: a registered loopback IP URI (`http://127.0.0.1/…`, `http://[::1]/…`) matches the same
 * URI on any port, because a native app gets its port from the OS at run time. `localhost` is not a
 * loopback IP here (§8.3: it may resolve elsewhere), so it matches exactly, port included.
 */

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?][^#]*)?$/

/** Splits a loopback-IP URI into host, port and the rest, or undefined for any other URI. */
function loopback(uri: string): { host: string; port: number | undefined; rest: string } | undefined {
  const m = LOOPBACK.exec(uri)
  if (!m) return undefined
  const port = m[2] === undefined ? undefined : Number(m[2])
  if (port !== undefined && (port < 1 || port > 65535 || String(port) !== m[2])) return undefined
  return { host: m[1]!, port, rest: m[3] ?? '' }
}

export function matchRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true
  const asked = loopback(presented)
  if (!asked) return false
  return registered.some((uri) => {
    const known = loopback(uri)
    return known !== undefined && known.host === asked.host && known.rest === asked.rest
  })
}

/** Post-logout redirect URIs match exactly, with no loopback exception (nothing native picks a port there). */
export function matchExactly(registered: readonly string[], presented: string): boolean {
  return registered.includes(presented)
}
