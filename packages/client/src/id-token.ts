/**
 * @module The ID token checks of OIDC Core §3.1.3.7, with @tessera/jose: the signature by a key of the
 * issuer's JWK Set (fetched and cached by `createRemoteJWKSet`; the algorithm chosen from the provider's
 * list, never from the token), `iss`, `aud` containing the client (and `azp` when there are several),
 * `exp`, and the login's `nonce`. A refreshed ID token carries no nonce (§12.2); its `sub` must be the
 * signed-in user's.
 */
import { createRemoteJWKSet, type JWTPayload, type RemoteJWKSet, verifyJWT } from '@tessera/jose/webcrypto'
import { ClientIdTokenInvalid } from './errors.js'

/** What OpenID Connect says about the user, as the ID token carries it. */
export type UserClaims = Readonly<JWTPayload & Record<string, unknown>>

/** The algorithms an ID token may be signed with (the provider's set; never `none` or HMAC). */
const ID_TOKEN_ALGS = ['RS256', 'ES256', 'EdDSA', 'PS256', 'ES384']

/**
 * Leeway for the browser's clock against the provider's: users' clocks are often minutes off, and the
 * token's signature, audience and nonce are what bind it to this login (oidc-client-ts allows 300 s too).
 */
const CLOCK_TOLERANCE_S = 300

export interface IdTokenExpectations {
  /** The nonce sent with the login; absent for a refresh. */
  nonce?: string
  /** The signed-in user's `sub`, for a refreshed ID token. */
  subject?: string
}

export class IdTokenVerifier {
  readonly #jwks: RemoteJWKSet
  readonly #issuer: string
  readonly #clientId: string

  constructor(issuer: string, clientId: string, jwksUri: string) {
    this.#issuer = issuer
    this.#clientId = clientId
    // A bound fetch: jose calls `settings.fetch(…)`, which in a browser throws "Illegal invocation" when
    // it is the bare global (its `this` must be the window).
    this.#jwks = createRemoteJWKSet(jwksUri, { fetch: (url, init) => fetch(url, init) })
  }

  async verify(idToken: string, expect: IdTokenExpectations): Promise<UserClaims> {
    let payload: JWTPayload & Record<string, unknown>
    try {
      ;({ payload } = await verifyJWT(idToken, this.#jwks, {
        algorithms: ID_TOKEN_ALGS,
        issuer: this.#issuer,
        audience: this.#clientId,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'exp', 'iat'],
      }))
    } catch (cause) {
      const code = (cause as { code?: unknown }).code
      throw new ClientIdTokenInvalid(
        `the ID token was refused (${typeof code === 'string' ? code : 'not verifiable'}): sign in again`,
        { cause },
      )
    }
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
    if (aud.length > 1 && payload.azp !== this.#clientId)
      throw new ClientIdTokenInvalid('the ID token names several audiences but azp is not this client')
    if (expect.nonce !== undefined && payload.nonce !== expect.nonce)
      throw new ClientIdTokenInvalid("the ID token's nonce is not this login's: sign in again")
    if (expect.subject !== undefined && payload.sub !== expect.subject)
      throw new ClientIdTokenInvalid('the refreshed ID token names another user: sign in again')
    return Object.freeze({ ...payload })
  }
}
