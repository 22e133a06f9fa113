/**
 * @module The grant types `/token` answers, by name; anything else is `unsupported_grant_type`.
 */
import { ClientUnauthorized, GrantTypeUnsupported } from '../../errors.js'
import type { OAuthClientRecord } from '../../store/types.js'
import { authorizationCodeGrant } from './authorization-code.js'
import { clientCredentialsGrant } from './client-credentials.js'
import { refreshTokenGrant } from './refresh-token.js'
import type { Grant, GrantContext, GrantProof, TokenForm, TokenResponse } from './token-context.js'

const GRANTS: Record<string, Grant> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
}

export const GRANT_TYPES = Object.keys(GRANTS)

export function runGrant(
  ctx: GrantContext,
  client: OAuthClientRecord,
  form: TokenForm,
  proof: GrantProof = { jkt: undefined },
): Promise<TokenResponse> {
  const grant = Object.hasOwn(GRANTS, form.grant_type) ? GRANTS[form.grant_type] : undefined
  if (!grant)
    throw new GrantTypeUnsupported(
      `grant_type must be one of ${GRANT_TYPES.join(', ')}, not "${form.grant_type.slice(0, 64)}"`,
    )
  // A refresh token is honoured for the client it was issued to, even one that got it through
  // offline_access; the other grants need the client's registration.
  if (form.grant_type === 'authorization_code' && !client.grantTypes.includes('authorization_code'))
    throw new ClientUnauthorized('this client is not registered for the authorization_code grant')
  return grant(ctx, client, form, proof)
}
