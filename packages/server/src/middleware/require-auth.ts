/**
 * @module `requireAuth(options)`: a Fastify plugin that verifies the access token of every request in the
 * scope it is registered in — Bearer, or DPoP with its proof when `dpop` is set (see verify-request.ts) — and
 * puts the result on `request.auth`. Failures answer 401/403 with an OAuth-style body and `WWW-Authenticate`;
 * with DPoP nonces on, every DPoP answer carries the next `DPoP-Nonce`.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { toHttpError } from '../http/to-http-error.js'
import { createRequestVerifier, type VerifiedRequest, type VerifyRequestOptions } from './verify-request.js'

declare module 'fastify' {
  interface FastifyRequest {
    auth: VerifiedRequest | null
  }
}

export type RequireAuthOptions = VerifyRequestOptions

export function requireAuth(options: RequireAuthOptions): FastifyPluginAsync {
  const verify = createRequestVerifier(options)
  const plugin = async (app: FastifyInstance) => {
    if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null)
    app.addHook('onRequest', async (request, reply) => {
      try {
        request.auth = await verify(request)
        if (request.auth.dpop?.nonce) reply.header('dpop-nonce', request.auth.dpop.nonce)
      } catch (error) {
        const http = toHttpError(error)
        return reply.code(http.status).headers(http.headers).send(http.body)
      }
    })
  }
  // Like fastify-plugin: the hook applies to the scope that registers this plugin, not a child of it.
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true })
  return plugin
}
