/**
 * @module The `refresh_token` grant at `/token`: token mode's rotation (one `store.refresh.rotate` with the
 * rotation policy: grace window, reuse detection, bound to the client it was issued to), answered the
 * OpenID Connect way — the access token may name a registered `resource`, `scope` may narrow, and a
 * family from an `openid` sign-in gets a fresh ID token (same `sub`, `sid`, `auth_time`; no `nonce`).
 * A family bound to a DPoP key (a public client's, RFC 9449 §5) refreshes only with a proof by that key
 * (the rotation policy's rule); the new access token is bound to the proof given, if any.
 */
import { RefreshTokenInvalid } from '../../errors.js'
import { refusalError, rotationStep } from '../../tokens/refresh.js'
import { hashRefreshToken, looksLikeRefreshToken } from '../../tokens/refresh-token.js'
import { decideRotation } from '../../tokens/rotation-policy.js'
import { signIdToken } from '../id-token.js'
import { audienceFor } from './audience.js'
import { narrowScope, scopeList } from './scopes.js'
import { accessTokenBinding, type Grant, type TokenResponse, tokenTypeFor } from './token-context.js'

export const refreshTokenGrant: Grant = async (ctx, client, form, proof) => {
  const { store, clock, policy } = ctx.tokens
  const presented = form.refresh_token
  if (presented === undefined || !looksLikeRefreshToken(presented))
    throw new RefreshTokenInvalid('refresh_token is missing or is not a refresh token of this server')
  const audience = audienceFor(form.resource, ctx.resources)
  const now = clock()
  const graceMs = policy.refreshGrace * 1000
  const outcome = await store.refresh.rotate(hashRefreshToken(presented), now, (read) =>
    rotationStep(
      ctx.tokens,
      read,
      decideRotation({
        read,
        client: { id: client.id },
        delivery: 'body',
        proofJkt: proof.jkt,
        now,
        graceMs,
      }),
      now,
    ),
  )
  if (!outcome.ok) throw refusalError(outcome.reason)
  const { issued } = outcome
  const scope = narrowScope(form.scope, scopeList(issued.scope))
  const accessToken = ctx.tokens.access.sign(
    { ...issued, scope, ...accessTokenBinding(proof, audience) },
    now,
  )
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: tokenTypeFor(proof),
    expires_in: policy.accessTtl,
    scope,
    refresh_token: issued.refreshToken,
  }
  if (!scopeList(issued.scope).includes('openid')) return response
  const family = await store.refresh.findFamily(issued.familyId)
  if (!family?.sid) return response
  response.id_token = signIdToken(ctx.sign, {
    issuer: ctx.tokens.issuer(),
    userId: family.userId,
    clientId: client.id,
    ttl: policy.accessTtl,
    now,
    authTime: family.authTime ?? family.createdAt,
    amr: [],
    sid: family.sid,
    nonce: null,
    accessToken,
    alg: client.idTokenSignedResponseAlg,
  })
  return response
}
