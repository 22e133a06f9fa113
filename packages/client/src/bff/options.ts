/**
 * @module What `createBff` is given, checked once when it is built (a bad setting fails at start with a
 * message naming it, never quietly weakening a check), and the settings derived from it.
 */
import { isHostCookieName } from './cookies.js'
import { BffOptionInvalid } from './errors.js'
import { type BffSessionStore, MemorySessionStore } from './session-store.js'

export interface BffOptions {
  /** The provider's issuer, exactly as its discovery document names it. */
  issuer: string
  /** The confidential client registered for this app (client_secret_basic). */
  clientId: string
  clientSecret: string
  /** The app's own origin as the browser sees it, e.g. http://localhost:3000; the redirect URI lives under it. */
  origin: string
  /** Where the BFF's routes live on that origin (default `/bff`). */
  prefix?: string
  /** Default `openid profile email offline_access` (offline_access: a refresh token, so sessions outlive an access token). */
  scope?: string
  /** The app's API that `${prefix}/api/*` forwards to, with the access token added; without it there is no proxy. */
  apiBaseUrl?: string
  /** Where the provider sends the browser after RP-initiated logout (default `${origin}/`). */
  postLogoutRedirectUri?: string
  /** The session store (default: a bounded in-memory one, for a single app instance). */
  store?: BffSessionStore
  /** The session cookie's name; it must start with `__Host-` (default `__Host-tessera-session`). */
  cookieName?: string
  /** A session's absolute lifetime in seconds (default 28 800, 8 hours). */
  sessionLifetimeSeconds?: number
  /** Refresh the access token this many seconds before it expires (default 30). */
  refreshAheadSeconds?: number
  /** More origins whose state-changing requests are accepted (the app's own origin always is). */
  allowedOrigins?: readonly string[]
  /** A `fetch` for the provider and the API (default: the global one). */
  fetch?: typeof fetch
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
}

export interface BffSettings {
  issuer: string
  client: { clientId: string; clientSecret: string }
  origin: string
  prefix: string
  scope: string
  apiBaseUrl: URL | undefined
  redirectUri: string
  postLogoutRedirectUri: string
  store: BffSessionStore
  cookieName: string
  pendingCookieName: string
  sessionLifetimeMs: number
  refreshAheadMs: number
  allowedOrigins: readonly string[]
  fetch: typeof fetch
  clock: () => number
}

/** Browsers treat these as secure contexts, so Secure cookies work on them over plain HTTP. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

function httpsOrLoopback(value: string, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new BffOptionInvalid(`${option} must be an absolute URL, e.g. https://app.example.com`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new BffOptionInvalid(`${option} must use https: (plain http: only on localhost or a loopback IP)`)
  return url
}

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new BffOptionInvalid(`${option} must be a positive number`)
  return value
}

export function resolveBffOptions(options: BffOptions): BffSettings {
  if (typeof options !== 'object' || options === null)
    throw new BffOptionInvalid('createBff needs an options object')
  httpsOrLoopback(options.issuer, 'issuer')
  for (const name of ['clientId', 'clientSecret'] as const)
    if (typeof options[name] !== 'string' || options[name] === '')
      throw new BffOptionInvalid(
        `${name} must be a non-empty string (the app's confidential client registration)`,
      )
  const origin = httpsOrLoopback(options.origin, 'origin')
  if (origin.pathname !== '/' || origin.search || origin.hash)
    throw new BffOptionInvalid('origin must be an origin only (scheme, host, port), with no path')
  const prefix = options.prefix ?? '/bff'
  if (!/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/.test(prefix))
    throw new BffOptionInvalid('prefix must be a path such as /bff (starting with /, no trailing /)')
  const cookieName = options.cookieName ?? '__Host-tessera-session'
  if (!isHostCookieName(cookieName))
    throw new BffOptionInvalid(
      'cookieName must start with __Host- (so only this host, over HTTPS, can set it)',
    )
  const scope = options.scope ?? 'openid profile email offline_access'
  if (!scope.split(' ').includes('openid')) throw new BffOptionInvalid('scope must include openid')
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') throw new BffOptionInvalid('no fetch available: pass options.fetch')
  return {
    issuer: options.issuer,
    client: { clientId: options.clientId, clientSecret: options.clientSecret },
    origin: origin.origin,
    prefix,
    scope,
    apiBaseUrl:
      options.apiBaseUrl === undefined ? undefined : httpsOrLoopback(options.apiBaseUrl, 'apiBaseUrl'),
    redirectUri: `${origin.origin}${prefix}/callback`,
    postLogoutRedirectUri: options.postLogoutRedirectUri ?? `${origin.origin}/`,
    store: options.store ?? new MemorySessionStore(options.clock ? { clock: options.clock } : {}),
    cookieName,
    pendingCookieName: `${cookieName}-signin`,
    sessionLifetimeMs: positive(options.sessionLifetimeSeconds, 28_800, 'sessionLifetimeSeconds') * 1000,
    refreshAheadMs: positive(options.refreshAheadSeconds, 30, 'refreshAheadSeconds') * 1000,
    allowedOrigins: [origin.origin, ...(options.allowedOrigins ?? [])],
    fetch: fetchImpl,
    clock: options.clock ?? Date.now,
  }
}
