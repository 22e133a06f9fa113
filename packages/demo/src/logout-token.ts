/**
 * @module Validates an OpenID Back-Channel Logout 1.0 logout token (§2.6) with panva's `jose`: signed by
 * a key from the provider's JWKS with an algorithm the provider advertises, `typ: logout+jwt`, our
 * `iss` and `aud`, a recent `iat`, a `jti` seen once, the back-channel logout event, `sid` and/or `sub`,
 * and no `nonce` (so an ID token can never pass as a logout token).
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'

export const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

export class LogoutTokenInvalid extends Error {
  readonly code = 'ERR_DEMO_LOGOUT_TOKEN_INVALID'
}

export interface LogoutClaims {
  sid: string | undefined
  sub: string | undefined
  jti: string
}

export interface LogoutTokenVerifier {
  verify(token: string): Promise<LogoutClaims>
}

export function logoutTokenVerifier(options: {
  issuer: string
  clientId: string
  jwksUri: string
  algorithms: string[]
  /** How old a logout token may be, in seconds (default 120). */
  maxAge?: number
}): LogoutTokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri))
  const maxAge = options.maxAge ?? 120
  // jti values seen within maxAge: a replayed logout token is refused (§2.6 step 8 suggests it).
  const seen = new Map<string, number>()
  return {
    async verify(token) {
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.clientId,
          typ: 'logout+jwt',
          algorithms: options.algorithms,
          maxTokenAge: maxAge,
          requiredClaims: ['iat', 'jti'],
        }))
      } catch (error) {
        throw new LogoutTokenInvalid(`logout token refused: ${(error as Error).message}`)
      }
      const events = payload.events as Record<string, unknown> | undefined
      const event = events?.[BACKCHANNEL_EVENT]
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        throw new LogoutTokenInvalid(`logout token refused: events lacks the ${BACKCHANNEL_EVENT} object`)
      if ('nonce' in payload) throw new LogoutTokenInvalid('logout token refused: it carries a nonce')
      const sid = typeof payload.sid === 'string' ? payload.sid : undefined
      const sub = typeof payload.sub === 'string' ? payload.sub : undefined
      if (sid === undefined && sub === undefined)
        throw new LogoutTokenInvalid('logout token refused: it names neither sid nor sub')
      const jti = payload.jti as string
      const now = Date.now()
      for (const [id, until] of seen) if (until < now) seen.delete(id)
      if (seen.has(jti)) throw new LogoutTokenInvalid('logout token refused: its jti was already used')
      seen.set(jti, now + maxAge * 1000 * 2)
      return { sid, sub, jti }
    },
  }
}
