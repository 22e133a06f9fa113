/**
 * @module `buildApp(config)`: the Fastify app for one config, with no globals, so tests build many and
 * drive them with `inject()` or a real socket. Routes are registered as plugins; errors become HTTP in
 * one handler (errors.ts decides the status and the OAuth body).
 */
import cookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { ServerConfig } from './config.js'
import { MethodNotAllowed, RouteNotFound } from './errors.js'
import { clientErrorHandler } from './http/client-error.js'
import { publicClientOrigins, registerCors } from './http/cors.js'
import { fromFastifyError } from './http/fastify-errors.js'
import { registerBodyParsers } from './http/media-types.js'
import { noteAnswer, RequestLog } from './http/request-log.js'
import { methodsFor, recordRoutes } from './http/route-table.js'
import { schemaErrorFormatter } from './http/schema-errors.js'
import { toHttpError } from './http/to-http-error.js'
import { chooseLogFormat, createLogger, type LogDestination, type LogFormat } from './logger.js'
import { authRoutes } from './routes/auth.js'
import { compareRoutes } from './routes/compare.js'
import { healthRoutes } from './routes/health.js'
import { meRoutes } from './routes/me.js'
import { oauthRoutes } from './routes/oauth.js'
import { oidcAuthorizeRoutes } from './routes/oidc-authorize.js'
import { oidcLogoutRoutes } from './routes/oidc-logout.js'
import { oidcTokenRoutes } from './routes/oidc-token.js'
import { oidcUserinfoRoutes } from './routes/oidc-userinfo.js'
import { revocationRoutes } from './routes/revocations.js'
import { sessionRoutes } from './routes/session.js'
import { ssoDemoRoutes } from './routes/sso-demo.js'
import { wellKnownRoutes } from './routes/well-known.js'
import { createServices, type ServiceDeps, type Services } from './services.js'

export interface AppDeps extends ServiceDeps {
  /** Where logs go (default stdout). Tests pass a stream to read them. */
  logDestination?: LogDestination
  /**
   * `json` or `pretty` (default: pretty outside production when stdout is a terminal and no destination
   * is given, JSON otherwise).
   */
  logFormat?: LogFormat
}

export interface TesseraApp {
  app: FastifyInstance
  services: Services
  /** Closes the app (in-flight requests finish first), then the services. */
  close(): Promise<void>
}

export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<TesseraApp> {
  const services = await createServices(config, deps)
  try {
    await services.keys.ensureAlgorithm()
  } catch (error) {
    await services.close()
    throw error
  }
  const answer = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const http = toHttpError(fromFastifyError(error, request, config.bodyLimit))
    noteAnswer(request, http.body.code, error)
    // Set here too: the router's own refusals (frameworkErrors) skip the onSend hook below.
    reply.header('x-content-type-options', 'nosniff')
    reply.code(http.status).headers(http.headers).send(http.body)
  }
  const format =
    deps.logFormat ??
    (deps.logDestination ? 'json' : chooseLogFormat(config.production, process.stdout.isTTY))
  const loggerInstance = createLogger({
    level: config.logLevel,
    format,
    ...(deps.logDestination ? { destination: deps.logDestination } : {}),
  })
  // Typed as the default instance: a custom pino logger only narrows the logger type.
  const app = Fastify({
    loggerInstance,
    // One line per request, its level set by the status.
    logController: new RequestLog(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Requests have 10 s to arrive in full (slow-loris), then 408.
    requestTimeout: 10_000,
    return503OnClosing: true,
    // Schemas refuse what they do not name (no silent stripping) and never coerce types: a number where a
    // password belongs is a 400, not the string "123".
    // `verbose` gives each error its schema, so a refusal can list the fields an endpoint takes.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, verbose: true } },
    schemaErrorFormatter,
    forceCloseConnections: 'idle',
    clientErrorHandler,
    // A URL that does not decode is answered by the router itself: give it the same body as the rest.
    frameworkErrors: (error, request, reply) => answer(error, request, reply),
  }) as unknown as FastifyInstance

  recordRoutes(app)
  registerBodyParsers(app)
  app.setErrorHandler(answer)
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    const allowed = methodsFor(app, path)
    const http = toHttpError(
      allowed.length > 0
        ? new MethodNotAllowed(`${path} answers ${allowed.join(', ')}, not ${request.method}`, {
            headers: { allow: allowed.join(', ') },
          })
        : new RouteNotFound(
            `there is no ${request.method} ${path.length > 100 ? `${path.slice(0, 100)}…` : path} here`,
          ),
    )
    noteAnswer(request, http.body.code)
    reply.code(http.status).headers(http.headers).send(http.body)
  })

  // Once closing, an answer in flight also ends its keep-alive connection: closing closes only the
  // connections idle at that moment, so one busy then would otherwise hold the exit for the keep-alive
  // timeout (72 s).
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Every answer is JSON or a built page: never let a browser sniff it into something executable.
  // A callback hook, not an async one: it runs on every answer, and an async hook costs each a promise
  // and a microtask turn before the answer is written.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff')
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
  registerCors(
    app,
    config.allowedOrigins,
    publicClientOrigins(() => services.clients.list()),
  )
  await app.register(cookie)
  await app.register(authRoutes(services))
  await app.register(oauthRoutes(services))
  await app.register(wellKnownRoutes(services))
  await app.register(meRoutes(services))
  await app.register(sessionRoutes(services))
  await app.register(oidcAuthorizeRoutes(services))
  await app.register(oidcTokenRoutes(services))
  await app.register(oidcUserinfoRoutes(services))
  await app.register(oidcLogoutRoutes(services))
  await app.register(compareRoutes(services))
  await app.register(healthRoutes(services))
  await app.register(revocationRoutes(services))
  await app.register(ssoDemoRoutes(services))
  if (config.webRoot) await app.register(fastifyStatic, { root: config.webRoot, prefix: '/' })

  return {
    app,
    services,
    async close() {
      await app.close()
      await services.close()
    },
  }
}
