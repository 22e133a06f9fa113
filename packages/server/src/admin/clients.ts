/**
 * @module Client administration for `tessera clients add|list|remove|rotate-secret`: opens the configured
 * store, does one thing, closes it. A running server sees the change on its next request (clients are
 * read per request), on every instance.
 */
import type { ServerConfig } from '../config.js'
import type { ClientRegistration } from '../oidc/clients/registration.js'
import type { OAuthClientRecord } from '../store/types.js'
import { withServices } from './users.js'

/** A client as printed: every registered field, snake_case as RFC 7591 names them, never the hash. */
export interface PublicClient {
  client_id: string
  client_name: string
  type: OAuthClientRecord['type']
  redirect_uris: string[]
  post_logout_redirect_uris: string[]
  backchannel_logout_uri: string | null
  first_party: boolean
  scope: string
  grant_types: string[]
  token_endpoint_auth_method: OAuthClientRecord['tokenEndpointAuthMethod']
  id_token_signed_response_alg: OAuthClientRecord['idTokenSignedResponseAlg']
  jwks_uri: string | null
  has_jwks: boolean
  /** DPoP at /token: required, allowed or off. */
  dpop: NonNullable<OAuthClientRecord['dpop']>
  created_at: string
  updated_at: string
}

export function publicClient(c: OAuthClientRecord): PublicClient {
  return {
    client_id: c.id,
    client_name: c.name,
    type: c.type,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    backchannel_logout_uri: c.backchannelLogoutUri,
    first_party: c.firstParty,
    scope: c.scope,
    grant_types: c.grantTypes,
    token_endpoint_auth_method: c.tokenEndpointAuthMethod,
    id_token_signed_response_alg: c.idTokenSignedResponseAlg,
    jwks_uri: c.jwksUri,
    has_jwks: c.jwks !== null,
    dpop: c.dpop ?? 'allowed',
    created_at: new Date(c.createdAt).toISOString(),
    updated_at: new Date(c.updatedAt).toISOString(),
  }
}

/** Registers a client; the secret (confidential clients using one) is in the result once, never stored. */
export function addClient(
  config: ServerConfig,
  registration: ClientRegistration,
): Promise<{ client: PublicClient; secret: string | undefined }> {
  return withServices(config, async (s) => {
    const { client, secret } = await s.clients.register(registration)
    await s.audit.record({ type: 'client.added', detail: { clientId: client.id, type: client.type } })
    return { client: publicClient(client), secret }
  })
}

export function listClients(config: ServerConfig): Promise<PublicClient[]> {
  return withServices(config, async (s) => (await s.clients.list()).map(publicClient))
}

/** Removes a client (with its consents); throws ClientNotFound. */
export function removeClient(config: ServerConfig, id: string): Promise<void> {
  return withServices(config, async (s) => {
    await s.clients.remove(id)
    await s.audit.record({ type: 'client.removed', detail: { clientId: id } })
  })
}

/** A new secret for the client; the old one stops working at once. Throws ClientNotFound / ClientInvalid. */
export function rotateClientSecret(
  config: ServerConfig,
  id: string,
): Promise<{ client: PublicClient; secret: string }> {
  return withServices(config, async (s) => {
    const { client, secret } = await s.clients.rotateSecret(id)
    await s.audit.record({ type: 'client.secret_rotated', detail: { clientId: id } })
    return { client: publicClient(client), secret: secret! }
  })
}
