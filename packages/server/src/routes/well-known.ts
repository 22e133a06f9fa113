/**
 * @module Discovery: the JWKS (RFC 7517 §5), and one provider metadata document served as OpenID Connect
 * Discovery 1.0 and as RFC 8414 authorization server metadata. Both are cacheable for `jwksMaxAge`,
 * which is why a new key is published that long before it signs.
 */
import type { FastifyInstance } from 'fastify'
import { defaultConfig } from '../config.js'
import { metadataSchema, providerMetadata } from '../oidc/discovery/metadata.js'
import type { Services } from '../services.js'

const jwkSchema = {
  type: 'object',
  properties: {
    kty: { type: 'string' },
    crv: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    // RSA public members (the RS256 ID-token key).
    n: { type: 'string' },
    e: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string' },
    use: { type: 'string' },
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

    const schema = { response: { 200: metadataSchema(providerMetadata(defaultConfig(), 'https://issuer')) } }
    const metadata = async (_request: unknown, reply: { header(name: string, value: string): unknown }) => {
      reply.header('cache-control', `public, max-age=${config.jwksMaxAge}`)
      return providerMetadata(config, services.issuer())
    }
    app.get('/.well-known/openid-configuration', { schema }, metadata)
    app.get('/.well-known/oauth-authorization-server', { schema }, metadata)
  }
}
