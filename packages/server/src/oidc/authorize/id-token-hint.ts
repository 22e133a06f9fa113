/**
 * @module `id_token_hint` (OIDC Core §3.1.2.1): an ID token this server issued earlier to this client,
 * naming the user the client expects. Its signature must verify with one of our published keys, `iss`
 * must be us and `aud` must hold the client; it may have expired (that is what a hint usually is).
 * A hint that fails any check is refused rather than ignored: a client sending one relies on it.
 */
import { compactVerify, type JoseKey, type JWSHeaderParameters } from '@tessera/jose'
import { AuthorizeError } from './authorize-error.js'

/** Every algorithm an ID token of ours can be signed with; never `none`. */
const ID_TOKEN_ALGS = ['RS256', 'ES256', 'EdDSA'] as const

export interface HintKeys {
  /** The published public key with this `kid` (throws when there is none). */
  publicKey(kid: unknown): JoseKey
}

/** The hint's `sub`. Throws AuthorizeError (`invalid_request`, redirected) when it is not ours. */
export async function verifyIdTokenHint(
  hint: string,
  expected: { issuer: string; clientId: string },
  keys: HintKeys,
): Promise<string> {
  const refused = () =>
    new AuthorizeError(
      'ERR_AUTHORIZE_REQUEST_INVALID',
      'id_token_hint is not an ID token this server issued to this client',
    )
  let payload: Record<string, unknown>
  try {
    const verified = await compactVerify(hint, (header: JWSHeaderParameters) => keys.publicKey(header.kid), {
      algorithms: ID_TOKEN_ALGS,
      maxTokenLength: 8192,
    })
    // Access tokens (`at+jwt`) and logout tokens (`logout+jwt`) are signed by the same keys: only an
    // ID token (no typ, or JWT) is a hint.
    const typ = verified.protectedHeader.typ
    if (typ !== undefined && String(typ).toUpperCase() !== 'JWT') throw refused()
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>
  } catch {
    throw refused()
  }
  const aud = payload.aud
  const audiences = Array.isArray(aud) ? aud : [aud]
  if (payload.iss !== expected.issuer || !audiences.includes(expected.clientId)) throw refused()
  if (typeof payload.sub !== 'string' || payload.sub === '') throw refused()
  return payload.sub
}
