/**
 * @module The authorization response (RFC 6749 §4.1.2) and its error form (§4.1.2.1), added to the
 * redirect_uri's own query. Both carry `iss` (RFC 9207), so a client talking to several providers can
 * tell which one answered (the mix-up attack, RFC 9700 §4.4).
 */

function withParams(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.append(name, value)
  return url.href
}

export function codeRedirect(
  redirectUri: string,
  code: string,
  state: string | null,
  issuer: string,
): string {
  return withParams(redirectUri, { code, state, iss: issuer })
}

export function errorRedirect(
  redirectUri: string,
  error: { error: string; description: string },
  state: string | null,
  issuer: string,
): string {
  return withParams(redirectUri, {
    error: error.error,
    error_description: error.description,
    state,
    iss: issuer,
  })
}
