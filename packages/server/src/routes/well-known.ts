/**
 * @module Discovery: the JWKS (RFC 7517 §5) and the authorization server metadata (RFC 8414). The JWKS
 * is cacheable for `jwksMaxAge`, which is why a new key is published that long before it signs.
 */
import type { FastifyInstance } from 'fastify'
import type { Services } from '../services.js'

const jwkSchema = {
  type: 'object',
  properties: {
    kty: { type: 'string' },
    crv: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string' },
    use: { type: 'string' },
  },
} as const

const metadataSchema = {
  type: 'object',
  properties: {
    issuer: { type: 'string' },
    jwks_uri: { type: 'string' },
    revocation_endpoint: { type: 'string' },
    revocation_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    introspection_endpoint: { type: 'string' },
    introspection_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    response_types_supported: { type: 'array', items: { type: 'string' } },
    grant_types_supported: { type: 'array', items: { type: 'string' } },
    scopes_supported: { type: 'array', items: { type: 'string' } },
    token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
    access_token_signing_alg_values_supported: { type: 'array', items: { type: 'string' } },
    tessera_login_endpoint: { type: 'string' },
    tessera_register_endpoint: { type: 'string' },
    tessera_refresh_endpoint: { type: 'string' },
    tessera_logout_endpoint: { type: 'string' },
    tessera_userinfo_endpoint: { type: 'string' },
  },
} as const

export function wellKnownRoutes(services: Services) {
  const { config, keys } = services
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get(
      '/.well-known/jwks.json',
      {
        schema: {
          response: { 200: { type: 'object', properties: { keys: { type: 'array', items: jwkSchema } } } },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', `public, max-age=${config.jwksMaxAge}`)
        return keys.jwks()
      },
    )

    app.get(
      '/.well-known/oauth-authorization-server',
      { schema: { response: { 200: metadataSchema } } },
      async (_r, reply) => {
        const issuer = services.issuer()
        reply.header('cache-control', `public, max-age=${config.jwksMaxAge}`)
        return {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          revocation_endpoint: `${issuer}/oauth/revoke`,
          revocation_endpoint_auth_methods_supported: ['none'],
          introspection_endpoint: `${issuer}/oauth/introspect`,
          introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
          // No authorization endpoint: first-party login is the JSON API below, not an OAuth redirect flow.
          response_types_supported: [],
          grant_types_supported: ['refresh_token'],
          scopes_supported: [config.scope],
          token_endpoint_auth_methods_supported: ['none'],
          access_token_signing_alg_values_supported: [config.signingAlg],
          tessera_login_endpoint: `${issuer}/auth/login`,
          tessera_register_endpoint: `${issuer}/auth/register`,
          tessera_refresh_endpoint: `${issuer}/auth/refresh`,
          tessera_logout_endpoint: `${issuer}/auth/logout`,
          tessera_userinfo_endpoint: `${issuer}/me`,
        }
      },
    )
  }
}
