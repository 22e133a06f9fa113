/**
 * @module How a protected resource at the issuer (`/me`, `/userinfo`) takes a token under each scheme
 * (RFC 9449 §7): a DPoP-bound token only as `DPoP`, with a proof by the key it is bound to whose `ath`
 * is that token's hash (always required: Keycloak's userinfo ignored it, #38333); an unbound token only
 * as `Bearer`. Refusals carry the `WWW-Authenticate: DPoP` challenge.
 */
import type { FastifyReply } from 'fastify'
import type { DPoPRequest, IssuerDPoP } from '../dpop/request-proof.js'
import { AccessTokenInvalid } from '../errors.js'
import { type AccessClaims, dpopBinding } from '../tokens/access-token.js'
import { withDPoPChallenge } from './www-authenticate.js'

/**
 * The Bearer path: a token with `cnf` is refused (a thief holding it without the key would pass). One
 * property read for an unbound token, so the hot path pays nothing more.
 */
export function refuseBoundAsBearer(claims: AccessClaims): void {
  if (claims.cnf !== undefined)
    throw withDPoPChallenge(
      new AccessTokenInvalid('this access token is DPoP-bound: send it as DPoP with a proof'),
    )
}

/**
 * The DPoP path, once the token's signature and claims passed: its binding, then the request's proof
 * (by that key, for this method and URL at the configured origin, with `ath`, unseen, fresh, with the
 * server nonce when nonces are on). Throws the refusal (the caller adds the DPoP challenge).
 */
export async function checkDPoPAccess(
  dpop: IssuerDPoP,
  request: DPoPRequest,
  token: string,
  claims: AccessClaims,
): Promise<void> {
  const jkt = dpopBinding(claims)
  if (jkt === undefined)
    throw new AccessTokenInvalid('this access token is not DPoP-bound: send it as Bearer, without a proof')
  await dpop.check(request, { accessToken: token, jkt, required: true })
}

/** With nonces on, every DPoP answer hands out the current nonce (RFC 9449 §9): the next proof can use it. */
export function sendNonce(dpop: IssuerDPoP, reply: FastifyReply): void {
  if (dpop.noncesRequired) reply.header('dpop-nonce', dpop.currentNonce())
}
