/**
 * @module Framework-agnostic access-token verification for resource servers: give it anything with
 * `headers.authorization` (node:http IncomingMessage, Express, Hono's raw request), get the verified
 * claims or a typed error carrying the status and `WWW-Authenticate` header to answer with.
 *
 * Verification is local: signature with a key from the issuer's JWKS (cached), then `iss`, `aud`,
 * `exp`, `nbf`, an `iat` not in the future (checked by @tessera/jose with or without a maxTokenAge),
 * `typ: at+jwt` (RFC 9068 §4). No call to the auth server per request — which is also why a
 * revoked session's access tokens pass here until they expire (docs/server.md, "stateless trade-off"),
 * unless `revocations` is given: the issuer's revocation feed (`subscribeRevocations`), or at the issuer
 * its own set, checked from memory after the signature.
 *
 * With `dpop`, `Authorization: DPoP <token>` is taken too (RFC 9449 §7): the token must be bound to a key
 * (`cnf.jkt`) and come with a `DPoP` proof by that key for this method and URL (resource-dpop.ts). A bound
 * token sent as `Bearer` is always refused, with or without `dpop`: without the proof a thief would pass.
 * Refusals on the DPoP path answer with the `WWW-Authenticate: DPoP` challenge.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  createVerifier,
  type JWK,
  type JWTPayload,
  type RemoteJWKSetOptions,
} from '@tessera/jose'
import { AccessTokenInvalid, IssuerKeysUnavailable, ScopeInsufficient } from '../errors.js'
import { bearerToken, dpopToken, isDPoPAuthorization } from '../http/bearer.js'
import { checkDPoPAccess, refuseBoundAsBearer } from '../http/dpop-access.js'
import { withDPoPChallenge } from '../http/www-authenticate.js'
import type { RevocationCheck } from '../revocation/revocation-feed.js'
import type { AccessClaims } from '../tokens/access-token.js'
import { type ResourceDPoPOptions, resourceDPoP } from './resource-dpop.js'

export interface VerifyRequestOptions {
  issuer: string
  audience: string
  /**
   * The issuer's JWKS URL, through @tessera/jose's `createRemoteJWKSet`: cached for its max-age (≤ 10 min),
   * refetched on an unknown `kid` at most once per 30 s, stale-if-error for an hour …
   */
  jwksUri?: string | URL
  /** … or a fixed key set. */
  keys?: { keys: JWK[] }
  /** Every one of these must be in the token's `scope`. */
  scopes?: readonly string[]
  algorithms?: readonly string[]
  /** Seconds of leeway on `exp`, `nbf` and a future `iat` (default 0). */
  clockTolerance?: number
  clock?: () => number
  /** Options of the remote key set (`clock` defaults to the one above). */
  jwks?: RemoteJWKSetOptions
  realm?: string
  /**
   * Refuse ended sessions and disabled users from memory: a subscription to the issuer's feed
   * (`subscribeRevocations`) or the issuer's own set (`services.revocations`). While it is out of sync,
   * requests fail closed with RevocationsUnavailable (503).
   */
  revocations?: RevocationCheck
  /** Accept DPoP-bound tokens (`Authorization: DPoP`) with their proofs; see resource-dpop.ts. */
  dpop?: ResourceDPoPOptions
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string
  client_id: string
  scope?: string
  sid?: string
}

export interface VerifiedRequest {
  token: string
  claims: AccessTokenClaims
  /** For a DPoP request: the key the token is bound to, and the nonce to send as `DPoP-Nonce` when nonces are on. */
  dpop?: { jkt: string; nonce?: string }
}

/**
 * What the verifier reads from a request. `method` and the path (`originalUrl` where a framework rewrites
 * `url` under a mount point, as Express does) are needed for DPoP requests only.
 */
export interface IncomingRequestLike {
  headers: Record<string, string | string[] | undefined>
  method?: string
  url?: string
  originalUrl?: string
}

export type RequestVerifier = (request: IncomingRequestLike) => Promise<VerifiedRequest>

/** JOSE failures that mean "the issuer's keys could not be had", not "this token is bad". */
const FETCH_FAILURES = new Set(['ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID'])

export function createRequestVerifier(options: VerifyRequestOptions): RequestVerifier {
  if (!options.issuer || !options.audience) throw new TypeError('verifyRequest needs issuer and audience')
  if (!options.jwksUri === !options.keys)
    throw new TypeError('verifyRequest needs exactly one of jwksUri or keys')
  const resolver = options.jwksUri
    ? createRemoteJWKSet(options.jwksUri, {
        ...(options.clock ? { clock: options.clock } : {}),
        ...options.jwks,
      })
    : createLocalJWKSet(options.keys)
  const verify = createVerifier({
    key: resolver,
    algorithms: options.algorithms ?? ['ES256', 'EdDSA'],
    issuer: options.issuer,
    audience: options.audience,
    typ: 'at+jwt',
    requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id'],
    clockTolerance: options.clockTolerance ?? 0,
    maxTokenLength: 8192,
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const scopes = options.scopes ?? []
  const realm = options.realm
  const revocations = options.revocations
  const dpop = options.dpop ? resourceDPoP(options.dpop, options.clock ?? Date.now) : undefined

  const verifyToken = async (token: string): Promise<AccessTokenClaims> => {
    try {
      return (await verify(token)).payload as AccessTokenClaims
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code !== undefined && FETCH_FAILURES.has(code)) {
        throw new IssuerKeysUnavailable('the issuer JWKS could not be fetched; retry shortly', {
          cause: error,
        })
      }
      const message =
        code === 'ERR_JWT_EXPIRED' ? 'the access token has expired' : 'the access token is not valid'
      throw new AccessTokenInvalid(message, { cause: error, ...(realm ? { realm } : {}) })
    }
  }

  const checkGrants = (claims: AccessTokenClaims): void => {
    if (revocations) {
      try {
        revocations.assertActive({
          sid: typeof claims.sid === 'string' ? claims.sid : undefined,
          sub: claims.sub,
        })
      } catch (error) {
        if (error instanceof AccessTokenInvalid)
          throw new AccessTokenInvalid(error.message, { ...(realm ? { realm } : {}) })
        throw error
      }
    }
    if (scopes.length > 0) {
      const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : [])
      if (!scopes.every((scope) => granted.has(scope))) throw new ScopeInsufficient(scopes)
    }
  }

  const verifyDPoP = async (request: IncomingRequestLike): Promise<VerifiedRequest> => {
    try {
      if (!dpop) {
        throw new AccessTokenInvalid(
          'this resource server does not take DPoP tokens: send a Bearer token, or configure its dpop option',
        )
      }
      const token = dpopToken(request.headers.authorization)
      const claims = await verifyToken(token)
      const url = request.originalUrl ?? request.url
      if (typeof request.method !== 'string' || typeof url !== 'string')
        throw new TypeError('verifyRequest needs the request method and url to check a DPoP proof')
      await checkDPoPAccess(
        dpop,
        { method: request.method, url, headers: request.headers },
        token,
        claims as AccessClaims,
      )
      checkGrants(claims)
      const jkt = (claims.cnf as { jkt: string }).jkt
      return { token, claims, dpop: dpop.noncesRequired ? { jkt, nonce: dpop.currentNonce() } : { jkt } }
    } catch (error) {
      throw withDPoPChallenge(error)
    }
  }

  return async (request) => {
    if (isDPoPAuthorization(request.headers.authorization)) return verifyDPoP(request)
    const token = bearerToken(request.headers.authorization, realm)
    const claims = await verifyToken(token)
    refuseBoundAsBearer(claims as AccessClaims)
    checkGrants(claims)
    return { token, claims }
  }
}
