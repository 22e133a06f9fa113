/**
 * @module `startServer(config)`: builds the app, seeds the demo user outside production, listens, and
 * logs — first where it listens (tests and scripts read that line), then the settings (secrets masked),
 * the warnings and the demo credentials on a line of their own. The issuer follows the real address
 * unless `--issuer` fixes it.
 *
 * A start-up either listens or fails with an error that says why: a start-up whose event loop runs dry
 * before it finishes (a promise nothing will ever settle) is reported on stderr and the process exits 1,
 * never 0 in silence.
 */
import type { AddressInfo } from 'node:net'
import { type AppDeps, buildApp, type TesseraApp } from './app.js'
import { describeConfig, type ServerConfig } from './config.js'
import type { Services } from './services.js'
import { sessionCookiePolicy } from './sessions/session-cookie.js'
import { DEMO_USERNAME, type DemoPassword, ensureDemoUser, resolveDemoPassword } from './startup/demo-user.js'

export interface StartOptions extends AppDeps {
  /** Close gracefully on SIGINT / SIGTERM, then exit (the CLI sets this). */
  handleSignals?: boolean
  /** Run the key-rotation schedule and store housekeeping (default true). */
  schedule?: boolean
}

export interface RunningServer {
  url: string
  port: number
  app: TesseraApp['app']
  services: Services
  /** The demo user's password (outside production): the same across restarts on one database. */
  demoPassword?: string
  close(): Promise<void>
}

function urlOf(address: AddressInfo): string {
  // Listening on every interface: the loopback address, the same origin the defaults and the docs use.
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/** Seeds `demo` under the start-up lock, so instances starting together leave exactly one. */
async function seedDemoUser(services: Services): Promise<DemoPassword> {
  const demo = resolveDemoPassword(services.dataDir, services.config.secret)
  await services.startupLock(() => ensureDemoUser(services, demo.password))
  return demo
}

/**
 * Runs `start`, and if the event loop empties before it settles (nothing left that could settle it),
 * says which step never finished and makes the exit status 1.
 */
async function guardStartup<T>(step: { now: string }, start: () => Promise<T>): Promise<T> {
  const onBeforeExit = () => {
    process.stderr.write(
      `tessera: start-up stopped while ${step.now}: it was waiting for something that can never happen ` +
        '(a bug: please report it with this line); exiting with status 1\n',
    )
    process.exitCode = 1
  }
  process.once('beforeExit', onBeforeExit)
  try {
    return await start()
  } finally {
    process.off('beforeExit', onBeforeExit)
  }
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const step = { now: 'opening the database and loading the signing keys' }
  const { built, demo } = await guardStartup(step, async () => {
    const built = await buildApp(config, options)
    let demo: DemoPassword | undefined
    try {
      step.now = 'seeding the demo user'
      if (config.demoUser && !config.production) demo = await seedDemoUser(built.services)
      step.now = 'registering the demo clients'
      if (config.demoClients && !config.production) await built.services.clients.ensureDemoClients()
      step.now = `starting to listen on ${config.host}:${config.port}`
      await built.app.listen({
        host: config.host,
        port: config.port,
        listenTextResolver: (address) => `tessera listening on ${address}`,
      })
    } catch (error) {
      await built.close()
      throw error
    }
    return { built, demo }
  })
  const { app, services } = built
  const demoPassword = demo?.password
  const address = app.server.address() as AddressInfo
  const url = urlOf(address)
  services.setListenUrl(url)
  const log = app.log
  log.info(
    { url, issuer: services.issuer(), config: describeConfig(config) },
    `tessera issuer ${services.issuer()}`,
  )
  const secret = services.secretSource
  if (secret.generatedAt) {
    log.warn(
      `!!! NO TESSERA_SECRET: generated one and saved it to ${secret.generatedAt} (development only; production refuses to start without TESSERA_SECRET) !!!`,
    )
  } else if (secret.fromFile) {
    log.warn(
      `!!! NO TESSERA_SECRET: using the development secret in ${secret.fromFile} (production refuses to start without TESSERA_SECRET) !!!`,
    )
  } else if (secret.ephemeral) {
    log.warn(
      '!!! NO TESSERA_SECRET and an in-memory database: keys and refresh tokens last for this process only !!!',
    )
  }
  if (config.insecureCookies)
    log.warn('!!! cookies are sent WITHOUT Secure (--insecure-cookies): development over plain HTTP only !!!')
  const sessionCookie = sessionCookiePolicy(config, services.issuer())
  if (!sessionCookie.secure)
    log.warn(`!!! the session cookie is sent WITHOUT Secure: ${sessionCookie.insecureReason} !!!`)
  if (demo) {
    const kept = demo.keptIn ? `, kept in ${demo.keptIn} across restarts (delete it for a new one)` : ''
    log.warn(`!!! DEMO USER (development mode only${kept}): start with --production to turn this off !!!`)
    log.warn(`demo credentials: username ${DEMO_USERNAME}  password ${demo.password}`)
  }

  const timers: NodeJS.Timeout[] = []
  if (options.schedule !== false) {
    services.keys.startSchedule(30, (error) => log.error({ err: error }, 'signing-key housekeeping failed'))
    const purge = setInterval(() => {
      services.store
        .purgeExpired(services.clock())
        .catch((error) => log.error({ err: error }, 'store housekeeping failed'))
    }, 3600_000)
    purge.unref()
    timers.push(purge)
  }

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      for (const timer of timers) clearInterval(timer)
      await built.close()
    })()
    return closing
  }
  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      log.info(`received ${signal}: finishing requests in flight, then closing`)
      close().then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  return { url, port: address.port, app, services, ...(demoPassword ? { demoPassword } : {}), close }
}
