/**
 * @module `startServer(config)`: builds the app, seeds the demo user outside production, listens, and
 * logs — first where it listens (tests and scripts read that line), then the settings (secrets masked)
 * and the warnings. The issuer follows the real address unless `--issuer` fixes it.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { type AppDeps, buildApp, type TesseraApp } from './app.js'
import { describeConfig, type ServerConfig } from './config.js'
import type { Services } from './services.js'
import { sessionCookiePolicy } from './sessions/session-cookie.js'
import { normalizePassword } from './users/password-policy.js'

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
  /** The demo user's password for this run (outside production). */
  demoPassword?: string
  close(): Promise<void>
}

function urlOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/** Creates `demo` (or resets its password) with a fresh random password for this run. */
async function seedDemoUser(services: Services): Promise<string> {
  let password: string
  // 120 random bits; regenerated until it starts with a letter or digit, so it is never taken for a flag.
  do password = randomBytes(15).toString('base64url')
  while (!/^[A-Za-z0-9]/.test(password))
  const existing = await services.store.findUserByUsername('demo')
  if (existing) {
    await services.store.setPasswordHash(
      existing.id,
      await services.users.hasher.hash(normalizePassword(password)),
      services.clock(),
    )
    if (existing.disabled) await services.store.setUserDisabled(existing.id, false, services.clock())
  } else {
    await services.users.register('demo', password)
  }
  return password
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const built = await buildApp(config, options)
  const { app, services } = built
  let demoPassword: string | undefined
  try {
    if (config.demoUser && !config.production) demoPassword = await seedDemoUser(services)
    await app.listen({
      host: config.host,
      port: config.port,
      listenTextResolver: (address) => `tessera listening on ${address}`,
    })
  } catch (error) {
    await built.close()
    throw error
  }
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
  if (demoPassword) {
    log.warn(
      `!!! DEMO USER (development mode only): username "demo", password "${demoPassword}" — start with --production to turn this off !!!`,
    )
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
