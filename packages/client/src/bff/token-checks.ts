/**
 * @module The two provider-signed JWTs the BFF accepts, both checked against the provider's JWKS: the ID
 * token at the callback by the SDK's own checks (id-token.ts: OIDC Core §3.1.3.7 — signature, `iss`, `aud`,
 * `azp`, `exp`, `nonce`), and the back-channel logout token through @tessera/jose's remote key set (OpenID
 * Back-Channel Logout 1.0 §2.6: `typ: logout+jwt`, the logout event, `sid` and/or `sub`, no `nonce`, a
 * recent `iat`, a `jti` used once).
 */
import { createRemoteJWKSet, createVerifier, type JWTPayload } from '@tessera/jose'
import { IdTokenVerifier } from '../id-token.js'
import { BffCallbackInvalid, BffLogoutTokenInvalid } from './errors.js'
import type { ProviderMetadata } from './provider.js'

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

export interface ProviderTokenChecks {
  idToken(token: string, nonce: string): Promise<JWTPayload>
  logoutToken(token: string): Promise<{ sid: string | undefined; sub: string | undefined }>
}

export function providerTokenChecks(
  metadata: ProviderMetadata,
  clientId: string,
  options: { clock?: () => number; logoutTokenMaxAgeSeconds?: number } = {},
): ProviderTokenChecks {
  const keys = createRemoteJWKSet(metadata.jwks_uri)
  const algorithms = metadata.id_token_signing_alg_values_supported?.filter((alg) => alg !== 'none') ?? [
    'RS256',
  ]
  const clock = options.clock ?? Date.now
  const common = { key: keys, issuer: metadata.issuer, audience: clientId, algorithms, clock }
  const idTokens = new IdTokenVerifier(metadata.issuer, clientId, metadata.jwks_uri)
  const maxAge = options.logoutTokenMaxAgeSeconds ?? 120
  const verifyLogout = createVerifier({
    ...common,
    typ: 'logout+jwt',
    maxTokenAge: maxAge,
    requiredClaims: ['iat', 'jti'],
  })
  /** `jti`s of accepted logout tokens, until they are too old to pass anyway (bounded by time). */
  const seen = new Map<string, number>()

  return {
    async idToken(token, nonce) {
      try {
        return await idTokens.verify(token, { nonce })
      } catch (error) {
        throw new BffCallbackInvalid((error as Error).message, undefined, { cause: error })
      }
    },

    async logoutToken(token) {
      let payload: JWTPayload
      try {
        ;({ payload } = await verifyLogout(token))
      } catch (error) {
        throw new BffLogoutTokenInvalid(`the logout token was refused: ${(error as Error).message}`, {
          cause: error,
        })
      }
      const event = (payload.events as Record<string, unknown> | undefined)?.[BACKCHANNEL_LOGOUT_EVENT]
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        throw new BffLogoutTokenInvalid(`the logout token was refused: no ${BACKCHANNEL_LOGOUT_EVENT} event`)
      if ('nonce' in payload)
        throw new BffLogoutTokenInvalid('the logout token was refused: it carries a nonce')
      const sid = typeof payload.sid === 'string' ? payload.sid : undefined
      const sub = typeof payload.sub === 'string' ? payload.sub : undefined
      if (sid === undefined && sub === undefined)
        throw new BffLogoutTokenInvalid('the logout token was refused: it names neither sid nor sub')
      const now = clock()
      for (const [jti, until] of seen) if (until <= now) seen.delete(jti)
      const jti = String(payload.jti)
      if (seen.has(jti))
        throw new BffLogoutTokenInvalid('the logout token was refused: its jti was already used')
      seen.set(jti, now + maxAge * 2000)
      return { sid, sub }
    },
  }
}
