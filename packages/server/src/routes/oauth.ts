/**
 * @module RFC 7009 revocation and RFC 7662 introspection. Both take form-encoded bodies only (as the RFCs
 * say): this plugin scope parses `application/x-www-form-urlencoded` and nothing else. A DPoP-bound token
 * of a client that does not authenticate is revoked only with a proof by its key (see `proofToRevoke`).
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ClientAuthFailed } from '../errors.js'
import { authenticateClient } from '../http/client-auth.js'
import { sendNonce } from '../http/dpop-access.js'
import { backChannel } from '../oidc/back-channel.js'
import type { CredentialFields } from '../oidc/client-auth/credentials.js'
import { registeredClientOf } from '../oidc/client-auth/endpoint-auth.js'
import type { Services } from '../services.js'
import { dpopBinding } from '../tokens/access-token.js'
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
    // RFC 9449 §6.2: the key a DPoP-bound token is bound to.
    cnf: { type: 'object', properties: { jkt: { type: 'string' } }, required: ['jkt'] },
  },
} as const

export function oauthRoutes(services: Services) {
  const { tokens, config } = services
  /**
   * The key a revocation must be proven by: that of a DPoP-bound refresh family (issued to a public or
   * first-party client, RFC 9449 §5) or of a bound access token (`cnf.jkt`), unless a confidential client
   * authenticated. For a client without credentials the token and its key together are the credential:
   * the token alone, stolen, then revokes nothing either, so it cannot end the user's session. A token
   * that is unknown, invalid or unbound needs no proof (RFC 7009 §2.2 answers 200 for it as before).
   */
  const proofToRevoke = async (token: string): Promise<string | undefined> => {
    const family = await tokens.familyOfRefreshToken(token)
    if (family) return family.dpopJkt ?? undefined
    if (token.split('.').length !== 3) return undefined
    try {
      return dpopBinding(tokens.verifyAccessSignature(token))
    } catch {
      return undefined
    }
  }
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
        // token itself is the credential (with its key, when DPoP-bound). A client_id that does not own
        // the token changes nothing.
        const jkt = registered?.type === 'confidential' ? undefined : await proofToRevoke(request.body.token)
        if (jkt !== undefined) {
          await services.dpop.check(request, { jkt, required: true })
          sendNonce(services.dpop, reply)
        }
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
