/**
 * @module DPoP at the token endpoints (`/auth/*`, `/token`): the per-client policy deciding what a
 * request's proof means, which families get bound to the key, and the `DPoP-Nonce` every answer carries
 * while nonces are on (RFC 9449 §8).
 *
 * A client's `dpop` setting: `required` — a token request without a valid proof is refused;
 * `allowed` (default) — a proof gives DPoP-bound tokens, no proof gives Bearer; `off` — a `DPoP` header
 * is not even read and Bearer tokens are issued (§5 lets a server ignore it; an old client that sends
 * a broken header keeps working).
 */
import type { FastifyInstance } from 'fastify'
import type { ClientDPoPSetting, OAuthClientRecord } from '../store/types.js'
import type { DPoPRequest, IssuerDPoP } from './request-proof.js'

/** The thumbprint of the request's valid proof under `setting`, or undefined for a Bearer answer. */
export async function tokenRequestProof(
  dpop: IssuerDPoP,
  request: DPoPRequest,
  setting: ClientDPoPSetting = 'allowed',
): Promise<string | undefined> {
  if (setting === 'off') return undefined
  return (await dpop.check(request, { required: setting === 'required' }))?.jkt
}

/**
 * Whether a family issued under a proof is bound to its key (RFC 9449 §5): for public clients, which
 * have nothing else to prove the refresh token is theirs. A confidential client's refresh tokens stay
 * bound to its client authentication; only its access tokens are bound to the proof.
 */
export function bindsRefreshFamily(client: Pick<OAuthClientRecord, 'type'>): boolean {
  return client.type === 'public'
}

/** Every answer of the routes in `app`'s scope says `DPoP-Nonce` while nonces are required. */
export function sendDPoPNonces(app: FastifyInstance, dpop: IssuerDPoP): void {
  if (!dpop.noncesRequired) return
  app.addHook('onSend', async (_request, reply) => {
    reply.header('dpop-nonce', dpop.currentNonce())
  })
}
