/**
 * @module What the `/token` grants read: the token machinery of token mode (store, clock, lifetimes,
 * refresh key, access-token signer), the claims signer for ID tokens, and the registered resources.
 */
import type { JWTPayload } from '@tessera/jose'
import type { OAuthClientRecord } from '../../store/types.js'
import type { TokenContext } from '../../tokens/token-context.js'
import type { ClaimsSigner } from '../id-token.js'

export interface GrantContext {
  tokens: TokenContext
  sign: ClaimsSigner
  /** RFC 8707 resource indicators a client may name. */
  resources: readonly string[]
}

/** The form fields `/token` reads beside client authentication (every value one string, or absent). */
export interface TokenForm {
  grant_type: string
  code?: string
  redirect_uri?: string
  code_verifier?: string
  refresh_token?: string
  scope?: string
  resource?: string
  client_id?: string
  client_secret?: string
  client_assertion?: string
  client_assertion_type?: string
  [field: string]: unknown
}

/** RFC 6749 §5.1 (+ OIDC Core §3.1.3.3 `id_token`); `token_type: "DPoP"` for a bound token (RFC 9449 §5). */
export interface TokenResponse {
  access_token: string
  token_type: 'Bearer' | 'DPoP'
  expires_in: number
  scope: string
  refresh_token?: string
  id_token?: string
}

/**
 * The request's DPoP proof, already checked under the client's setting (dpop/token-request.ts): `jkt` is
 * the thumbprint of its key, undefined when the tokens are to be Bearer.
 */
export interface GrantProof {
  jkt: string | undefined
}

export type Grant = (
  ctx: GrantContext,
  client: OAuthClientRecord,
  form: TokenForm,
  proof: GrantProof,
) => Promise<TokenResponse>

/**
 * What every grant adds to its access token's claims: the RFC 8707 `audience` when the request named a
 * resource, and `proof`'s key (`cnf.jkt`, RFC 9449 §5) when it carried a proof — nothing for a Bearer
 * token to the default audience.
 */
export const accessTokenBinding = (
  proof: GrantProof,
  audience: string | undefined,
): { audience?: string; jkt?: string } => ({
  ...(audience ? { audience } : {}),
  ...(proof.jkt === undefined ? {} : { jkt: proof.jkt }),
})

/** `token_type` of an access token issued for `proof`. */
export const tokenTypeFor = (proof: GrantProof): 'Bearer' | 'DPoP' =>
  proof.jkt === undefined ? 'Bearer' : 'DPoP'

export type { JWTPayload }
