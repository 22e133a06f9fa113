/**
 * @module The BFF as a Fastify plugin: `app.register(bffFastifyPlugin, { bff })` adds the BFF's routes
 * under its prefix. The plugin keeps its own scope, so the raw-body parser it needs (the proxy forwards
 * bodies as they came) applies only to its routes.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { Bff } from './create-bff.js'
import { MAX_BODY_BYTES } from './node-handler.js'

export interface BffFastifyOptions {
  bff: Bff
}

export const bffFastifyPlugin: FastifyPluginAsync<BffFastifyOptions> = async (
  app: FastifyInstance,
  options: BffFastifyOptions,
) => {
  const { bff } = options
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) =>
    done(null, body),
  )
  const handler = async (
    request: {
      method: string
      url: string
      headers: Record<string, string | string[] | undefined>
      body: unknown
    },
    reply: {
      code(status: number): unknown
      headers(values: Record<string, string | string[]>): unknown
      send(body?: unknown): unknown
      callNotFound(): void
    },
  ) => {
    const answer = await bff.handle({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.body instanceof Uint8Array ? { body: request.body } : {}),
    })
    if (!answer) return reply.callNotFound()
    reply.code(answer.status)
    reply.headers(answer.headers)
    return reply.send(answer.body === undefined ? undefined : Buffer.from(answer.body))
  }
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
  app.route({ method: [...methods], url: bff.settings.prefix, handler })
  app.route({ method: [...methods], url: `${bff.settings.prefix}/*`, handler })
}
