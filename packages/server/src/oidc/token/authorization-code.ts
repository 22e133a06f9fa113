/**
 * @module The `authorization_code` grant (RFC 6749 §4.1.3, OIDC Core §3.1.3): one atomic consume of the
 * code (one winner across instances), then the checks that bind it — the client it was issued to, the
 * exact `redirect_uri` string, the PKCE verifier, its 60 s lifetime — then a refresh family (the grant),
 * its access token, a refresh token when allowed, and an ID token for `openid`.
 *
 * A second use is `invalid_grant` and revokes what the first use issued (RFC 6749 §4.1.2). The family id
 * is derived from the code's hash, so a replay knows it even while the first redemption is still writing
 * (and `codes.setFamily` is one write a redemption does not need);
 * a marker in the replay store settles who came first: the replay sets it before revoking, the first
 * redemption sets it after creating the family, and whichever finds it already set revokes the family
 * (the first redemption still answers, so of any number of parallel redemptions exactly one gets tokens,
 * and those are revoked).
 *
 * DPoP (RFC 9449): a code requested with `dpop_jkt` (§10) is redeemed only with a proof by that key; with
 * a proof the access token is bound to its key, and a public client's family too (§5).
 */
import { createHash, createHmac } from 'node:crypto'
import { bindsRefreshFamily } from '../../dpop/token-request.js'
import { DPoPProofRefused, GrantInvalid, RequestInvalid } from '../../errors.js'
import type { AuthorizationCodeRecord } from '../../store/types.js'
import { deriveRefreshToken, hashRefreshToken } from '../../tokens/refresh-token.js'
import { signIdToken } from '../id-token.js'
import { audienceFor } from './audience.js'
import { checkCodeVerifier } from './pkce.js'
import { issuesRefreshToken, scopeList } from './scopes.js'
import { accessTokenBinding, type Grant, type GrantContext, tokenTypeFor } from './token-context.js'

/** How long the "this code was redeemed" marker is kept: far longer than a redemption takes. */
const MARKER_MS = 10 * 60_000

const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex')

function familyIdFor(key: Buffer, codeHash: string): string {
  return createHmac('sha256', key).update(`code:${codeHash}`).digest().subarray(0, 16).toString('base64url')
}

const REPLAYED = 'the authorization code was already used; the tokens issued for it were revoked'

async function revokeGrant(ctx: GrantContext, code: AuthorizationCodeRecord, familyId: string, now: number) {
  await ctx.tokens.store.refresh.revokeFamily(familyId, 'code_replayed', now, {
    at: now,
    type: 'oidc.code_replayed',
    userId: code.userId,
    familyId,
    detail: { client_id: code.clientId },
  })
}

export const authorizationCodeGrant: Grant = async (ctx, client, form, proof) => {
  const { store, clock, policy, refreshTokenKey } = ctx.tokens
  if (form.code === undefined || form.code === '') throw new RequestInvalid('code is missing')
  if (form.redirect_uri === undefined)
    throw new RequestInvalid('redirect_uri is missing: send the one the authorization request used')
  const hash = hashCode(form.code)
  const now = clock()
  const consumed = await store.codes.consume(hash, now)
  if (consumed.outcome === 'unknown')
    throw new GrantInvalid('the authorization code is unknown or has expired')
  const code = consumed.code
  const familyId = code.familyId ?? familyIdFor(refreshTokenKey, hash)
  if (consumed.outcome === 'replayed') {
    await store.replay.firstUse(`code-redeemed:${hash}`, now + MARKER_MS, now)
    await revokeGrant(ctx, code, familyId, now)
    throw new GrantInvalid(REPLAYED)
  }

  if (code.clientId !== client.id)
    throw new GrantInvalid('the authorization code was issued to another client')
  if (now >= code.expiresAt) throw new GrantInvalid('the authorization code has expired: authorize again')
  if (code.redirectUri !== form.redirect_uri)
    throw new GrantInvalid('redirect_uri differs from the one in the authorization request')
  checkCodeVerifier(form.code_verifier, code.codeChallenge)
  if (code.dpopJkt !== null && proof.jkt !== code.dpopJkt)
    throw new DPoPProofRefused(
      proof.jkt === undefined
        ? 'the authorization code is bound to a DPoP key (dpop_jkt): send a DPoP proof made by that key'
        : 'the authorization code is bound to another DPoP key (dpop_jkt) than the one that signed the proof',
    )
  const user = await store.users.findById(code.userId)
  if (!user || user.disabled) throw new GrantInvalid('the account behind this code is disabled or gone')
  const audience = audienceFor(form.resource ?? code.resource, ctx.resources)

  const withRefresh = issuesRefreshToken(client, code.scope)
  // Without a refresh token the family only backs the access token's `sid`: it lives as long as that token.
  const lifetime = withRefresh ? policy.refreshTtl : policy.accessTtl + policy.clockSkew
  const absoluteExpiresAt = now + lifetime * 1000
  const refreshToken = deriveRefreshToken(refreshTokenKey, familyId, 0)
  await store.refresh.createFamily(
    {
      id: familyId,
      userId: user.id,
      clientId: client.id,
      scope: code.scope,
      cookieBound: false,
      dpopJkt: proof.jkt !== undefined && bindsRefreshFamily(client) ? proof.jkt : null,
      createdAt: now,
      absoluteExpiresAt,
      sid: code.sid,
      authTime: code.authTime,
    },
    {
      hash: hashRefreshToken(refreshToken),
      generation: 0,
      createdAt: now,
      idleExpiresAt: Math.min(now + policy.refreshIdleTtl * 1000, absoluteExpiresAt),
    },
    { at: now, type: 'oidc.code_redeemed', userId: user.id, familyId, detail: { client_id: client.id } },
  )
  // A replay that came while this redemption was writing could not find the family to revoke: do it for
  // it. The answer still goes out (one token response per code, whatever the race), already revoked.
  if (!(await store.replay.firstUse(`code-redeemed:${hash}`, now + MARKER_MS, now)))
    await revokeGrant(ctx, code, familyId, now)

  const accessToken = ctx.tokens.access.sign(
    {
      userId: user.id,
      familyId,
      clientId: client.id,
      scope: code.scope,
      ...accessTokenBinding(proof, audience),
    },
    now,
  )
  const openid = scopeList(code.scope).includes('openid')
  return {
    access_token: accessToken,
    token_type: tokenTypeFor(proof),
    expires_in: policy.accessTtl,
    scope: code.scope,
    ...(withRefresh ? { refresh_token: refreshToken } : {}),
    ...(openid
      ? {
          id_token: signIdToken(ctx.sign, {
            issuer: ctx.tokens.issuer(),
            userId: user.id,
            clientId: client.id,
            ttl: policy.accessTtl,
            now,
            authTime: code.authTime,
            amr: code.amr,
            sid: code.sid,
            nonce: code.nonce,
            accessToken,
            alg: client.idTokenSignedResponseAlg,
          }),
        }
      : {}),
  }
}
