/**
 * @module The flow page's own OpenID Connect authorization request: PKCE (S256), `state` and `nonce` from
 * WebCrypto, kept in sessionStorage across the round trip through the provider, and the callback's
 * parameters read back (and wiped from the address bar) when the provider redirects to the page.
 */
import { encodeBase64url } from '@tessera/jose'
import type { Exchange } from './api.js'

/** The public, first-party client the development server registers for this page. */
export const FLOW_CLIENT_ID = 'tessera-flow'
const PENDING_KEY = 'tessera.sso.pending'

export interface Discovery {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
}

/** What the page remembers between sending the user to /authorize and getting the code back. */
export interface PendingRequest {
  verifier: string
  state: string
  nonce: string
  params: Record<string, string>
  discovery: Discovery
  discoveryExchange: Exchange
  /** The session seen before a silent (`prompt=none`) sign-in, to compare `auth_time` with. */
  before?: { sid: string; auth_time: number }
}

export interface Callback {
  pending: PendingRequest
  params: Record<string, string>
  url: string
}

function randomToken(bytes = 32): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

export async function sha256(text: string, hash = 'SHA-256'): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(text)))
}

/** The page itself is the redirect URI: on a loopback IP the provider lets its port vary (RFC 8252 §7.3). */
export function redirectUri(): string {
  return `${location.origin}/`
}

/** Builds the request, remembers its secrets for the way back, and returns the URL to go to. */
export async function authorizationUrl(
  discovery: Discovery,
  discoveryExchange: Exchange,
  options: { lang: string; prompt?: string; before?: PendingRequest['before'] },
): Promise<string> {
  const verifier = randomToken()
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: FLOW_CLIENT_ID,
    redirect_uri: redirectUri(),
    scope: 'openid profile email',
    state: randomToken(16),
    nonce: randomToken(16),
    code_challenge: encodeBase64url(await sha256(verifier)),
    code_challenge_method: 'S256',
    ui_locales: options.lang,
    ...(options.prompt ? { prompt: options.prompt } : {}),
  }
  const pending: PendingRequest = {
    verifier,
    state: params.state!,
    nonce: params.nonce!,
    params,
    discovery,
    discoveryExchange,
    ...(options.before ? { before: options.before } : {}),
  }
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending))
  const url = new URL(discovery.authorization_endpoint)
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.href
}

/**
 * The provider's redirect back, once: the pending request is consumed and the code leaves the address
 * bar (and so the history and any later Referer) before anything else runs.
 */
export function takeCallback(): Callback | undefined {
  const query = new URLSearchParams(location.search)
  if (!query.has('state') || !(query.has('code') || query.has('error'))) return undefined
  const url = location.href
  history.replaceState(null, '', location.pathname)
  const stored = sessionStorage.getItem(PENDING_KEY)
  sessionStorage.removeItem(PENDING_KEY)
  if (!stored) return undefined
  try {
    return { pending: JSON.parse(stored) as PendingRequest, params: Object.fromEntries(query), url }
  } catch {
    return undefined
  }
}
