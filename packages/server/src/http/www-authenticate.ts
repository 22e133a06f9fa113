/**
 * @module The `WWW-Authenticate: DPoP` challenge of a protected resource (RFC 9449 §7.1). A refusal of a
 * request on the DPoP path keeps its code, OAuth error and message and is answered 401 (403 for a missing
 * scope) with `DPoP algs="…", error="…", error_description="…"` in place of the Bearer challenge; a
 * `use_dpop_nonce` refusal keeps its `DPoP-Nonce` header (RFC 9449 §9).
 */
import { DPOP_SIGNING_ALGS } from '../dpop/algorithms.js'
import { ServerError } from '../errors.js'

/** The OAuth errors a resource answers 401 with under the DPoP scheme (RFC 9449 §7.1, §9). */
const UNAUTHORIZED = new Set(['invalid_token', 'invalid_dpop_proof', 'use_dpop_nonce'])

/**
 * A quoted-string parameter value (RFC 9110 §5.6.4). The messages are ours: `"` and `\` become `'`, and
 * anything outside printable ASCII (a `§` in a library's message) becomes `?`, since a header is not UTF-8.
 */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')}"`

/** `DPoP algs="ES256 …"`, then `error`, `error_description` and any other parameters, in that order. */
export function dpopChallenge(
  algs: readonly string[],
  params: { error?: string; error_description?: string; [name: string]: string | undefined } = {},
): string {
  let challenge = `DPoP algs=${quoted(algs.join(' '))}`
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) challenge += `, ${name}=${quoted(value)}`
  return challenge
}

/** A refusal answered under the DPoP scheme: `cause`'s code, OAuth error and message, the DPoP challenge. */
export class DPoPChallenged extends ServerError {
  override readonly code: string
  override readonly status: number
  override readonly oauthError: string
  constructor(cause: ServerError, status: number, headers: Record<string, string>) {
    super(cause.message, { cause, headers })
    this.code = cause.code
    this.status = status
    this.oauthError = cause.oauthError
  }
}

/**
 * `error` as a resource answers it to a request that used the DPoP scheme: a refusal of the token or the
 * proof (401) or a missing scope (403) with the DPoP challenge; anything else (a malformed request, a
 * store or revocation set that cannot answer) unchanged.
 */
export function withDPoPChallenge(error: unknown, algs: readonly string[] = DPOP_SIGNING_ALGS): unknown {
  if (!(error instanceof ServerError) || !error.expose || error instanceof DPoPChallenged) return error
  const { 'www-authenticate': bearerChallenge, ...others } = error.headers
  if (UNAUTHORIZED.has(error.oauthError)) {
    const challenge = dpopChallenge(algs, { error: error.oauthError, error_description: error.message })
    return new DPoPChallenged(error, 401, { ...others, 'www-authenticate': challenge })
  }
  if (error.oauthError === 'insufficient_scope') {
    const scope = /scope="([^"]*)"/.exec(bearerChallenge ?? '')?.[1]
    const challenge = dpopChallenge(algs, { error: 'insufficient_scope', scope })
    return new DPoPChallenged(error, 403, { ...others, 'www-authenticate': challenge })
  }
  return error
}
