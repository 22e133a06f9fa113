/**
 * @module Sharing by URL fragment: `/debugger#token=…`. Browsers never send the fragment to a server
 * (RFC 3986 §3.5), so the token stays out of access logs and Referer headers; a query string would not.
 */

const PREFIX = '#token='

/** The token carried in a fragment, or undefined. */
export function tokenFromHash(hash: string): string | undefined {
  if (!hash.startsWith(PREFIX)) return undefined
  try {
    return decodeURIComponent(hash.slice(PREFIX.length))
  } catch {
    return undefined
  }
}

/** The share link for `token` on this page (base64url and dots need no escaping, but JSON pasted by mistake might). */
export function shareLink(token: string, location: Location): string {
  return `${location.origin}${location.pathname}${PREFIX}${encodeURIComponent(token)}`
}

/** Puts the token in the address bar without a history entry and without contacting the server. */
export function writeHash(token: string): void {
  history.replaceState(history.state, '', token ? `${PREFIX}${encodeURIComponent(token)}` : location.pathname)
}
