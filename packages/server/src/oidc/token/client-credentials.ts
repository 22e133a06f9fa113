/**
 * @module The `client_credentials` grant (RFC 6749 §4.4): a confidential client acting for itself. Its
 * access token has `sub` = `client_id`, no `sid` (there is no user session behind it) and only the
 * client's non-user scopes; no refresh token (§4.4.3) and no ID token. With a DPoP proof the access token
 * is bound to its key (RFC 9449 §5).
 */
import { ClientUnauthorized } from '../../errors.js'
import { audienceFor } from './audience.js'
import { clientScopes, narrowScope } from './scopes.js'
import { accessTokenBinding, type Grant, tokenTypeFor } from './token-context.js'

export const clientCredentialsGrant: Grant = async (ctx, client, form, proof) => {
  if (client.type !== 'confidential')
    throw new ClientUnauthorized(
      'client_credentials is for confidential clients; a public client has no secret',
    )
  if (!client.grantTypes.includes('client_credentials'))
    throw new ClientUnauthorized('this client is not registered for the client_credentials grant')
  const scope = narrowScope(form.scope, clientScopes(client))
  const audience = audienceFor(form.resource, ctx.resources)
  const now = ctx.tokens.clock()
  return {
    access_token: ctx.tokens.access.signForClient(
      { clientId: client.id, scope, ...accessTokenBinding(proof, audience) },
      now,
    ),
    token_type: tokenTypeFor(proof),
    expires_in: ctx.tokens.policy.accessTtl,
    scope,
  }
}
