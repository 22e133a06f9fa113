/**
 * @module Every setting of the server, read once from defaults ← `TESSERA_*` environment ← flags (or the
 * overrides a program passes), validated, and printable with secrets masked. Production mode refuses
 * unsafe settings with a message naming the setting (`ConfigInvalid.setting`).
 */
import { ConfigInvalid } from './errors.js'
import { maskDatabaseUrl } from './store/postgres/connection-url.js'
import { formatSpan, parseSpan } from './util/duration.js'

export type SigningAlg = 'ES256' | 'EdDSA'

export interface ClientCredential {
  id: string
  secret: string
}

export interface ServerConfig {
  host: string
  /** 0 picks a free port. */
  port: number
  /** `sqlite:<path>` or `postgres://user@host/db[?schema=name&pool_max=10]`. */
  database: string
  /** Optional `redis://…` beside the database: sessions, counters, revocation list, key-rotation notices. */
  redis: string | undefined
  /** Worker processes sharing the port (node:cluster); 0 or 1: a single process. */
  cluster: number
  /** Fixed issuer; when undefined, the issuer follows the address the server really listens on. */
  issuer: string | undefined
  audience: string
  /** Seconds. */
  accessTtl: number
  refreshTtl: number
  refreshIdleTtl: number
  refreshGrace: number
  signingAlg: SigningAlg
  /** Origins (scheme://host[:port]) allowed to send cookie-authenticated requests besides our own. */
  allowedOrigins: string[]
  production: boolean
  registration: boolean
  demoUser: boolean
  /** First-party public clients that may log in (client_id values). */
  clients: string[]
  /** Resource-server credentials for RFC 7662 introspection. */
  introspectionClients: ClientCredential[]
  /** TESSERA_SECRET: encrypts signing keys at rest and keys refresh-token HMACs. Env only, never a flag. */
  secret: string | undefined
  scope: string
  /** Cache-Control max-age of the JWKS, and so the lead time a new key is published before it signs. */
  jwksMaxAge: number
  /** A new signing key is made this often (0: only by command). */
  keyRotationInterval: number
  clockSkew: number
  passwordMinLength: number
  /** Per-IP failed logins allowed within `ipWindow` before 429. */
  ipMaxFailures: number
  ipWindow: number
  /** Accounts one address may register within `ipWindow` before 429 (each costs an argon2id hash). */
  registrationsPerIp: number
  /** Failed logins for one account before exponential back-off starts. */
  accountFreeFailures: number
  accountMaxBackoff: number
  bodyLimit: number
  /** Milliseconds a write waits for another process's database lock before answering 503. */
  dbBusyTimeout: number
  /** Cookies without `Secure` (plain-HTTP development only; refused in production). */
  insecureCookies: boolean
  /** Session mode (issue 7), seconds: a session unused this long ends (OWASP: 15-30 min). */
  sessionIdleTtl: number
  /** Session mode, seconds: a session ends this long after login however busy it is (OWASP: 4-8 h). */
  sessionTtl: number
  /** SameSite of the session cookie: lax (default), strict, or none (always with Secure). */
  sessionSameSite: 'lax' | 'strict' | 'none'
  trustProxy: boolean
  logLevel: string
  /** A directory of static files to serve at / (the built web app). */
  webRoot: string | undefined
}

type Kind = 'string' | 'int' | 'span' | 'bool' | 'list' | 'clients' | 'optional'

interface Setting {
  key: keyof ServerConfig
  flag: string
  kind: Kind
  secret?: boolean
  /** Read from the environment only (secrets must not appear in `ps`). */
  envOnly?: boolean
  env?: string
}

const SETTINGS: Setting[] = [
  { key: 'host', flag: 'host', kind: 'string' },
  { key: 'port', flag: 'port', kind: 'int' },
  { key: 'database', flag: 'database', kind: 'string' },
  { key: 'redis', flag: 'redis', kind: 'optional' },
  { key: 'cluster', flag: 'cluster', kind: 'int' },
  { key: 'issuer', flag: 'issuer', kind: 'optional' },
  { key: 'audience', flag: 'audience', kind: 'string' },
  { key: 'accessTtl', flag: 'access-ttl', kind: 'span' },
  { key: 'refreshTtl', flag: 'refresh-ttl', kind: 'span' },
  { key: 'refreshIdleTtl', flag: 'refresh-idle-ttl', kind: 'span' },
  { key: 'refreshGrace', flag: 'refresh-grace', kind: 'span' },
  { key: 'signingAlg', flag: 'signing-alg', kind: 'string' },
  { key: 'allowedOrigins', flag: 'allowed-origins', kind: 'list' },
  { key: 'production', flag: 'production', kind: 'bool' },
  { key: 'registration', flag: 'registration', kind: 'bool' },
  { key: 'demoUser', flag: 'demo-user', kind: 'bool' },
  { key: 'clients', flag: 'clients', kind: 'list' },
  { key: 'introspectionClients', flag: 'introspection-client', kind: 'clients', secret: true },
  { key: 'secret', flag: 'secret', kind: 'optional', secret: true, envOnly: true, env: 'TESSERA_SECRET' },
  { key: 'scope', flag: 'scope', kind: 'string' },
  { key: 'jwksMaxAge', flag: 'jwks-max-age', kind: 'span' },
  { key: 'keyRotationInterval', flag: 'key-rotation-interval', kind: 'span' },
  { key: 'clockSkew', flag: 'clock-skew', kind: 'span' },
  { key: 'passwordMinLength', flag: 'password-min-length', kind: 'int' },
  { key: 'ipMaxFailures', flag: 'ip-max-failures', kind: 'int' },
  { key: 'ipWindow', flag: 'ip-window', kind: 'span' },
  { key: 'registrationsPerIp', flag: 'registrations-per-ip', kind: 'int' },
  { key: 'accountFreeFailures', flag: 'account-free-failures', kind: 'int' },
  { key: 'accountMaxBackoff', flag: 'account-max-backoff', kind: 'span' },
  { key: 'bodyLimit', flag: 'body-limit', kind: 'int' },
  { key: 'dbBusyTimeout', flag: 'db-busy-timeout', kind: 'int' },
  { key: 'insecureCookies', flag: 'insecure-cookies', kind: 'bool' },
  { key: 'sessionIdleTtl', flag: 'session-idle-ttl', kind: 'span' },
  { key: 'sessionTtl', flag: 'session-ttl', kind: 'span' },
  { key: 'sessionSameSite', flag: 'session-same-site', kind: 'string' },
  { key: 'trustProxy', flag: 'trust-proxy', kind: 'bool' },
  { key: 'logLevel', flag: 'log-level', kind: 'string' },
  { key: 'webRoot', flag: 'web-root', kind: 'optional' },
]

/** The defaults. `registration` and `demoUser` flip to false in production unless set. */
export function defaultConfig(production = false): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 8080,
    database: 'sqlite:./data/tessera.db',
    redis: undefined,
    cluster: 0,
    issuer: undefined,
    audience: 'tessera',
    accessTtl: 15 * 60,
    refreshTtl: 30 * 86400,
    refreshIdleTtl: 7 * 86400,
    refreshGrace: 15,
    signingAlg: 'ES256',
    allowedOrigins: [],
    production,
    registration: !production,
    demoUser: !production,
    clients: ['tessera-web', 'tessera-cli'],
    introspectionClients: [],
    secret: undefined,
    scope: 'api',
    jwksMaxAge: 600,
    keyRotationInterval: 30 * 86400,
    clockSkew: 60,
    // NIST SP 800-63B rev 3 sets 8 as the floor, rev 4 asks 15 for a password used alone: 12 sits between,
    // and the bundled common-password list is what stops the short popular ones. Configurable, 8..64.
    passwordMinLength: 12,
    ipMaxFailures: 50,
    ipWindow: 15 * 60,
    registrationsPerIp: 10,
    accountFreeFailures: 5,
    accountMaxBackoff: 15 * 60,
    bodyLimit: 16 * 1024,
    dbBusyTimeout: 5000,
    insecureCookies: false,
    sessionIdleTtl: 30 * 60,
    sessionTtl: 8 * 3600,
    sessionSameSite: 'lax',
    trustProxy: false,
    logLevel: 'info',
    webRoot: undefined,
  }
}

export function envName(setting: Setting): string {
  return setting.env ?? `TESSERA_${setting.flag.toUpperCase().replace(/-/g, '_')}`
}

function parseBool(raw: string, setting: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigInvalid(setting, `"${raw}" is not a boolean (true/false)`)
}

function parseClients(raw: string, setting: string): ClientCredential[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':')
      if (colon <= 0 || colon === pair.length - 1) throw new ConfigInvalid(setting, 'must be id:secret')
      return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) }
    })
}

function parseValue(setting: Setting, raw: string, name: string): unknown {
  switch (setting.kind) {
    case 'string':
      return raw
    case 'optional':
      return raw === '' ? undefined : raw
    case 'int': {
      if (!/^\d+$/.test(raw)) throw new ConfigInvalid(name, `"${raw}" is not a whole number`)
      return Number(raw)
    }
    case 'span':
      return parseSpan(raw, name)
    case 'bool':
      return parseBool(raw, name)
    case 'list':
      return raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    case 'clients':
      return parseClients(raw, name)
  }
}

/**
 * Reads `tessera serve` flags and `TESSERA_*` variables into a validated config.
 * Flags: `--name value`, `--name=value`, `--flag` / `--no-flag` for booleans; `--introspection-client`
 * may repeat. Unknown flags are errors (a typo must not silently keep a default).
 */
export function parseServeArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const fromEnv: Partial<Record<keyof ServerConfig, unknown>> = {}
  for (const setting of SETTINGS) {
    const raw = env[envName(setting)]
    if (raw !== undefined) fromEnv[setting.key] = parseValue(setting, raw, envName(setting))
  }
  const fromFlags: Partial<Record<keyof ServerConfig, unknown>> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new ConfigInvalid(arg, 'unexpected argument: settings are --name value')
    let name = arg.slice(2)
    let value: string | undefined
    const eq = name.indexOf('=')
    if (eq !== -1) {
      value = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    const setting = SETTINGS.find((s) => s.flag === name)
    if (!setting && name.startsWith('no-')) {
      const positive = SETTINGS.find((s) => s.flag === name.slice(3) && s.kind === 'bool')
      if (positive && value === undefined) {
        fromFlags[positive.key] = false
        continue
      }
    }
    if (!setting || setting.envOnly) {
      const hint = setting?.envOnly ? ` (set it in the environment as ${envName(setting)})` : ''
      throw new ConfigInvalid(`--${name}`, `unknown setting${hint}`)
    }
    if (value === undefined) {
      const next = argv[i + 1]
      if (
        setting.kind === 'bool' &&
        (next === undefined || next.startsWith('--') || !/^(1|0|true|false|yes|no|on|off)$/i.test(next))
      ) {
        value = 'true'
      } else {
        if (next === undefined) throw new ConfigInvalid(`--${name}`, 'needs a value')
        value = next
        i++
      }
    }
    const parsed = parseValue(setting, value, `--${name}`)
    if (setting.kind === 'clients' && Array.isArray(fromFlags[setting.key])) {
      fromFlags[setting.key] = [
        ...(fromFlags[setting.key] as ClientCredential[]),
        ...(parsed as ClientCredential[]),
      ]
    } else {
      fromFlags[setting.key] = parsed
    }
  }
  return loadConfig({ ...fromEnv, ...fromFlags, ...overrides } as Partial<ServerConfig>)
}

/** Defaults ← the given values, then validation. Programs and tests call this directly. */
export function loadConfig(values: Partial<ServerConfig> = {}): ServerConfig {
  const production = values.production ?? false
  const config: ServerConfig = { ...defaultConfig(production) }
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined || key === 'issuer' || key === 'secret' || key === 'webRoot' || key === 'redis') {
      ;(config as unknown as Record<string, unknown>)[key] = value
    }
  }
  validateConfig(config)
  return Object.freeze(config) as ServerConfig
}

function flagOf(key: keyof ServerConfig): string {
  const setting = SETTINGS.find((s) => s.key === key)!
  return setting.envOnly ? envName(setting) : `--${setting.flag}`
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')
  } catch {
    return false
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host)
}

export function validateConfig(c: ServerConfig): void {
  const fail = (key: keyof ServerConfig, message: string): never => {
    throw new ConfigInvalid(flagOf(key), message)
  }
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535)
    fail('port', 'must be 0..65535 (0 picks a free port)')
  if (!c.host) fail('host', 'must not be empty')
  if (!/^sqlite:.+/.test(c.database) && !/^postgres(ql)?:\/\//.test(c.database)) {
    fail('database', 'must be sqlite:<path> (e.g. sqlite:./data/tessera.db) or postgres://…')
  }
  if (/^postgres/.test(c.database) && c.secret === undefined)
    fail('secret', 'a shared PostgreSQL database needs TESSERA_SECRET, the same on every instance')
  if (c.cluster > 64) fail('cluster', 'must be at most 64 workers')
  if (c.cluster > 1 && /^sqlite:(:memory:)?$/.test(c.database))
    fail('cluster', 'workers cannot share an in-memory database: use a file or postgres://')
  if (c.redis !== undefined && !/^rediss?:\/\/./.test(c.redis))
    fail('redis', 'must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)')
  if (c.issuer !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(c.issuer)
    } catch {}
    // RFC 8414 §2: the issuer is an https URL with no query or fragment.
    if (!url || url.search || url.hash || !/^https?:$/.test(url.protocol)) {
      fail('issuer', 'must be an absolute http(s) URL without query or fragment')
    }
  }
  if (!c.audience) fail('audience', 'must not be empty')
  if (c.signingAlg !== 'ES256' && c.signingAlg !== 'EdDSA') fail('signingAlg', 'must be ES256 or EdDSA')
  if (c.accessTtl < 30 || c.accessTtl > 24 * 3600) fail('accessTtl', 'must be between 30s and 24h')
  if (c.refreshTtl < c.accessTtl || c.refreshTtl > 400 * 86400) {
    fail('refreshTtl', 'must be at least the access-token lifetime and at most 400d')
  }
  if (c.refreshIdleTtl < 60 || c.refreshIdleTtl > c.refreshTtl) {
    fail('refreshIdleTtl', 'must be at least 60s and at most --refresh-ttl')
  }
  if (c.refreshGrace > 60)
    fail('refreshGrace', 'must be at most 60s (a longer window lets a stolen token ride along)')
  if (c.jwksMaxAge < 0 || c.jwksMaxAge > 86400) fail('jwksMaxAge', 'must be between 0 and 24h')
  if (c.keyRotationInterval !== 0 && c.keyRotationInterval < 2 * c.jwksMaxAge + c.accessTtl) {
    fail('keyRotationInterval', 'must be 0 (manual) or longer than twice --jwks-max-age plus --access-ttl')
  }
  if (c.clockSkew > 300) fail('clockSkew', 'must be at most 5m')
  if (c.passwordMinLength < 8 || c.passwordMinLength > 64)
    fail('passwordMinLength', 'must be 8..64 (NIST SP 800-63B)')
  if (c.ipMaxFailures < 1) fail('ipMaxFailures', 'must be at least 1')
  if (c.registrationsPerIp < 1) fail('registrationsPerIp', 'must be at least 1')
  if (c.accountFreeFailures < 1) fail('accountFreeFailures', 'must be at least 1')
  if (c.bodyLimit < 1024 || c.bodyLimit > 1024 * 1024)
    fail('bodyLimit', 'must be between 1024 and 1048576 bytes')
  if (c.sessionIdleTtl < 60 || c.sessionIdleTtl > c.sessionTtl)
    fail('sessionIdleTtl', 'must be at least 60s and at most --session-ttl')
  if (c.sessionTtl > 30 * 86400) fail('sessionTtl', 'must be at most 30d')
  if (!['lax', 'strict', 'none'].includes(c.sessionSameSite))
    fail('sessionSameSite', 'must be lax, strict or none')
  if (c.sessionSameSite === 'none' && c.insecureCookies)
    fail('sessionSameSite', 'none needs Secure cookies: drop --insecure-cookies or use lax')
  if (c.dbBusyTimeout > 60_000) fail('dbBusyTimeout', 'must be at most 60000 ms')
  for (const origin of c.allowedOrigins) {
    if (!isOrigin(origin)) fail('allowedOrigins', `"${origin}" is not an origin like https://app.example.com`)
  }
  if (c.clients.length === 0) fail('clients', 'needs at least one client_id')
  for (const client of c.introspectionClients) {
    if (client.secret.length < 16)
      fail('introspectionClients', `the secret of "${client.id}" must be at least 16 characters`)
  }
  if (c.secret !== undefined && c.secret.length < 32)
    fail('secret', 'must be at least 32 characters (e.g. openssl rand -base64 32)')
  if (c.production) {
    if (c.secret === undefined)
      fail('secret', 'production mode needs TESSERA_SECRET to encrypt signing keys at rest')
    if (c.insecureCookies) fail('insecureCookies', 'production mode always sets Secure on cookies')
    if (c.demoUser) fail('demoUser', 'production mode never seeds the demo user')
    if (c.issuer === undefined) fail('issuer', 'production mode needs a fixed public issuer URL')
    const issuer = new URL(c.issuer!)
    if (issuer.protocol !== 'https:' && !isLoopback(issuer.hostname))
      fail('issuer', 'must be https in production mode')
    if (c.accessTtl > 3600) fail('accessTtl', 'must be at most 1h in production mode')
    for (const origin of c.allowedOrigins) {
      if (origin.startsWith('http:') && !isLoopback(new URL(origin).hostname)) {
        fail('allowedOrigins', `"${origin}" must be https in production mode`)
      }
    }
  }
}

/** The config for printing: secrets masked, spans readable. */
export function describeConfig(c: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const setting of SETTINGS) {
    const value = c[setting.key]
    if (setting.secret) {
      if (setting.kind === 'clients') {
        out[setting.key] = (value as ClientCredential[]).map((client) => `${client.id}:********`)
      } else {
        out[setting.key] = value === undefined ? '(not set)' : '********'
      }
    } else if (setting.kind === 'span') {
      out[setting.key] = formatSpan(value as number)
    } else if ((setting.key === 'database' || setting.key === 'redis') && typeof value === 'string') {
      // A URL may carry a password.
      out[setting.key] = maskDatabaseUrl(value)
    } else {
      out[setting.key] = value
    }
  }
  return out
}

/** The flag names, for `tessera serve --help`. */
export function settingsHelp(): { flag: string; env: string; default: string }[] {
  const defaults = defaultConfig(false) as unknown as Record<string, unknown>
  return SETTINGS.map((s) => ({
    flag: s.envOnly ? '(environment only)' : `--${s.flag}`,
    env: envName(s),
    default:
      s.secret || defaults[s.key] === undefined
        ? ''
        : s.kind === 'span'
          ? formatSpan(defaults[s.key] as number)
          : String(defaults[s.key]),
  }))
}

export { isLoopback }
