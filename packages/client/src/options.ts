/**
 * @module The options of `createClient`, checked once when the client is built: a bad setting throws
 * `ClientOptionInvalid` naming it, and never quietly turns a check off.
 */
import { ClientOptionInvalid } from './errors.js'

export interface ClientOptions {
  /** The issuer exactly as the provider names it (its discovery document must say the same). */
  issuer: string
  /** The public client's id (registered with `--type public`). */
  clientId: string
  /** The registered redirect URI the provider sends the browser back to (matched exactly by the provider). */
  redirectUri: string
  /** The scopes to ask for (default `openid profile email offline_access`; `openid` is always included). */
  scope?: string
  /** Bind the tokens to a non-extractable key with DPoP (RFC 9449; default true). */
  dpop?: boolean
}

export interface CheckedOptions {
  issuer: string
  clientId: string
  redirectUri: string
  scope: string
  dpop: boolean
}

const DEFAULT_SCOPE = 'openid profile email offline_access'
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

function webUrl(value: unknown, name: string): URL {
  if (typeof value !== 'string' || value === '') throw new ClientOptionInvalid(`${name} is required (a URL)`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ClientOptionInvalid(`${name} must be an absolute URL`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new ClientOptionInvalid(`${name} must use https: (plain http: only on a loopback host)`)
  if (url.hash !== '') throw new ClientOptionInvalid(`${name} must not have a fragment`)
  return url
}

export function checkOptions(options: ClientOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null)
    throw new ClientOptionInvalid('createClient takes { issuer, clientId, redirectUri }')
  webUrl(options.issuer, 'issuer')
  webUrl(options.redirectUri, 'redirectUri')
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new ClientOptionInvalid('clientId is required (the id of a public client)')
  if (options.scope !== undefined && typeof options.scope !== 'string')
    throw new ClientOptionInvalid('scope must be a space-separated string')
  if (options.dpop !== undefined && typeof options.dpop !== 'boolean')
    throw new ClientOptionInvalid('dpop must be true or false')
  const scopes = (options.scope ?? DEFAULT_SCOPE).split(/\s+/).filter(Boolean)
  if (!scopes.includes('openid')) scopes.unshift('openid')
  return {
    issuer: options.issuer,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scope: scopes.join(' '),
    dpop: options.dpop ?? true,
  }
}
