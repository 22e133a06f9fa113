/**
 * @module RFC 7009 revocation and RFC 7662 introspection. Both take form-encoded bodies only (as the RFCs
 * say): this plugin scope parses `application/x-www-form-urlencoded` and nothing else.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ClientAuthFailed } from '../errors.js'
import { authenticateClient } from '../http/client-auth.js'
import { backChannel } from '../oidc/back-channel.js'
import type { CredentialFields } from '../oidc/client-auth/credentials.js'
import { registeredClientOf } from '../oidc/client-auth/endpoint-auth.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

interface TokenForm {
  token: string
  token_type_hint?: string
  client_id?: string
}

const tokenForm = {
  type: 'object',
  required: ['token'],
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 8192 },
    token_type_hint: { type: 'string', maxLength: 64 },
    client_id: { type: 'string', maxLength: 128 },
  },
} as const

const introspection = {
  type: 'object',
  required: ['active'],
  properties: {
    active: { type: 'boolean' },
    token_type: { type: 'string' },
    scope: { type: 'string' },
    client_id: { type: 'string' },
    username: { type: 'string' },
    sub: { type: 'string' },
    aud: { type: 'string' },
    iss: { type: 'string' },
    exp: { type: 'integer' },
    iat: { type: 'integer' },
    jti: { type: 'string' },
    sid: { type: 'string' },
  },
} as const

export function oauthRoutes(services: Services) {
  const { tokens, config } = services
  const clientAuthInput = (request: FastifyRequest<{ Body: TokenForm }>) => ({
    authorization: request.headers.authorization,
    fields: request.body as CredentialFields,
    ip: request.ip,
    configuredIds: config.introspectionClients.map((c) => c.id),
  })
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers()
    await app.register(formbody, { bodyLimit: config.bodyLimit })

    app.post<{ Body: TokenForm }>(
      '/oauth/revoke',
      { schema: { body: tokenForm, response: { 200: { type: 'null' }, ...errorResponses } } },
      async (request, reply) => {
        // A registered client authenticates (RFC 7009 §2.1) and revokes only its own tokens.
        const registered = await registeredClientOf(backChannel(services).clientAuth, services.clients, {
          ...clientAuthInput(request),
          endpoint: `${services.issuer()}/oauth/revoke`,
        })
        // The first-party clients are public (no secret): RFC 7009 §2.1 lets the server accept them; the
        // token itself is the credential. A client_id that does not own the token changes nothing.
        await tokens.revoke(request.body.token, registered?.id ?? request.body.client_id)
        reply.header('cache-control', 'no-store')
        // RFC 7009 §2.2: 200 with no content (not the JSON text `null`).
        return reply.send()
      },
    )

    app.post<{ Body: TokenForm }>(
      '/oauth/introspect',
      { schema: { body: tokenForm, response: { 200: introspection, ...errorResponses } } },
      async (request, reply) => {
        const registered = await registeredClientOf(backChannel(services).clientAuth, services.clients, {
          ...clientAuthInput(request),
          endpoint: `${services.issuer()}/oauth/introspect`,
        })
        if (!registered) authenticateClient(request.headers.authorization, config.introspectionClients)
        else if (registered.type !== 'confidential')
          throw new ClientAuthFailed('introspection needs a confidential client (or --introspection-client)')
        reply.header('cache-control', 'no-store')
        const result = await tokens.introspect(request.body.token, request.body.token_type_hint)
        // A registered client learns only about its own tokens; resource servers use --introspection-client.
        if (registered && result.client_id !== registered.id) return { active: false }
        return result
      },
    )
  }
}
