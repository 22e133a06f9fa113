/**
 * @module `POST /token` (RFC 6749 §3.2, OIDC Core §3.1.3): form-encoded only, one value per parameter
 * (a repeated one is refused by the schema), unknown parameters ignored (§3.2). The client authenticates
 * first, then its DPoP proof is checked under its setting (RFC 9449 §5), then the grant runs. Every
 * answer, errors too, says `Cache-Control: no-store` (§5.1), and `DPoP-Nonce` while nonces are on.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { sendDPoPNonces, tokenRequestProof } from '../dpop/token-request.js'
import { backChannel } from '../oidc/back-channel.js'
import { runGrant } from '../oidc/token/grants.js'
import type { TokenForm } from '../oidc/token/token-context.js'
import type { Services } from '../services.js'
import { errorResponses, tokenResponse } from './schemas.js'

const value = (maxLength: number) => ({ type: 'string', maxLength }) as const

const tokenForm = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', minLength: 1, maxLength: 128 },
    code: value(512),
    redirect_uri: value(2048),
    code_verifier: value(256),
    refresh_token: value(512),
    scope: value(1024),
    resource: value(2048),
    client_id: value(256),
    client_secret: value(512),
    client_assertion: value(16_384),
    client_assertion_type: value(256),
  },
} as const

/** The token response of `/auth/*`, plus the OpenID Connect `id_token`. */
const oidcTokenResponse = {
  ...tokenResponse,
  properties: { ...tokenResponse.properties, id_token: { type: 'string' } },
} as const

export function oidcTokenRoutes(services: Services) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const channel = backChannel(services)
    channel.deliveries.start()
    app.addHook('onClose', async () => {
      await channel.deliveries.stop()
    })
    app.removeAllContentTypeParsers()
    await app.register(formbody, { bodyLimit: services.config.bodyLimit })
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    })
    sendDPoPNonces(app, services.dpop)

    app.post<{ Body: TokenForm }>(
      '/token',
      { schema: { body: tokenForm, response: { 200: oidcTokenResponse, ...errorResponses } } },
      async (request) => {
        const client = await channel.clientAuth.authenticate({
          authorization: request.headers.authorization,
          fields: request.body,
          ip: request.ip,
          endpoint: `${services.issuer()}/token`,
        })
        // After client authentication: the client's DPoP setting decides whether the proof is read.
        const jkt = await tokenRequestProof(services.dpop, request, client.dpop)
        return runGrant(channel.grants, client, request.body, { jkt })
      },
    )
  }
}
