/**
 * @module Framework-agnostic access-token verification for resource servers: give it anything with
 * `headers.authorization` (node:http IncomingMessage, Express, Hono's raw request), get the verified
 * claims or a typed error carrying the status and `WWW-Authenticate` header to answer with.
 *
 * Verification is local: signature with a key from the issuer's JWKS (cached), then `iss`, `aud`,
 * `exp`, `typ: at+jwt` (RFC 9068 §4). No call to the auth server per request — which is also why a
 * revoked session's access tokens pass here until they expire (docs/server.md, "stateless trade-off").
 */
import {
  createVerifier,
  importJWK,
  type JoseKey,
  type JWK,
  JWKSNoMatchingKey,
  type JWTPayload,
} from '@tessera/jose'
import { AccessTokenInvalid, ScopeInsufficient } from '../errors.js'
import { bearerToken } from '../http/bearer.js'
import { createRemoteJwks, type RemoteJwksOptions } from './remote-jwks.js'

export interface VerifyRequestOptions {
  issuer: string
  audience: string
  /** The issuer's JWKS URL (cached; see remote-jwks.ts) … */
  jwksUri?: string | URL
  /** … or a fixed key set. */
  keys?: { keys: JWK[] }
  /** Every one of these must be in the token's `scope`. */
  scopes?: readonly string[]
  algorithms?: readonly string[]
  /** Seconds of leeway on `exp`/`iat` (default 0). */
  clockTolerance?: number
  clock?: () => number
  jwks?: RemoteJwksOptions
  realm?: string
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
}

export type RequestVerifier = (request: {
  headers: Record<string, string | string[] | undefined>
}) => Promise<VerifiedRequest>

function localKeys(set: { keys: JWK[] }): (header: Record<string, unknown>) => Promise<JoseKey> {
  const imported = new Map<string, Promise<JoseKey>>()
  for (const jwk of set.keys) {
    if (typeof jwk.kid === 'string' && typeof jwk.alg === 'string')
      imported.set(jwk.kid, importJWK(jwk, jwk.alg))
  }
  return async (header) => {
    const key = typeof header.kid === 'string' ? imported.get(header.kid) : undefined
    if (!key) throw new JWKSNoMatchingKey('no key in the configured set matches the token kid')
    return key
  }
}

export function createRequestVerifier(options: VerifyRequestOptions): RequestVerifier {
  if (!options.issuer || !options.audience) throw new TypeError('verifyRequest needs issuer and audience')
  if (!options.jwksUri === !options.keys)
    throw new TypeError('verifyRequest needs exactly one of jwksUri or keys')
  const resolver = options.jwksUri
    ? createRemoteJwks(options.jwksUri, {
        ...options.jwks,
        ...(options.clock ? { clock: options.clock } : {}),
      })
    : localKeys(options.keys!)
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
  return async (request) => {
    const token = bearerToken(request.headers.authorization, realm)
    let claims: AccessTokenClaims
    try {
      claims = (await verify(token)).payload as AccessTokenClaims
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'ERR_JWKS_FETCH_FAILED') throw error
      const message =
        code === 'ERR_JWT_EXPIRED' ? 'the access token has expired' : 'the access token is not valid'
      throw new AccessTokenInvalid(message, { cause: error, ...(realm ? { realm } : {}) })
    }
    if (scopes.length > 0) {
      const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : [])
      if (!scopes.every((scope) => granted.has(scope))) throw new ScopeInsufficient(scopes)
    }
    return { token, claims }
  }
}
