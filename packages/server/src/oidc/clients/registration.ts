/**
 * @module Checks a client registration once, before it is stored, and fills in the defaults: the
 * redirect URIs (absolute, no fragment, https unless loopback or development), the type and its
 * authentication method (a public client has no secret and authenticates with `none`; a confidential
 * one defaults to `client_secret_basic`; `private_key_jwt` needs a JWKS or a `jwks_uri`), the grants,
 * scopes, ID-token algorithm and DPoP setting (`allowed` by default). Every refusal is ClientInvalid
 * naming the field.
 */
import { ClientInvalid } from '../../errors.js'
import type {
  ClientAuthMethod,
  ClientDPoPSetting,
  ClientType,
  IdTokenAlg,
  OAuthClientRecord,
} from '../../store/types.js'

export interface ClientRegistration {
  /** client_id; generated when absent. */
  id?: string
  name: string
  type?: ClientType
  redirectUris: string[]
  postLogoutRedirectUris?: string[]
  backchannelLogoutUri?: string | null
  firstParty?: boolean
  scope?: string
  grantTypes?: string[]
  tokenEndpointAuthMethod?: ClientAuthMethod
  idTokenSignedResponseAlg?: IdTokenAlg
  jwksUri?: string | null
  /** JSON text of a JWK Set. */
  jwks?: string | null
  /** DPoP proofs at /token (RFC 9449): `required`, `allowed` (default) or `off` (dpop/token-request.ts). */
  dpop?: ClientDPoPSetting
}

export interface RegistrationPolicy {
  /** Development mode: plain-http redirect URIs on any host are allowed. */
  development: boolean
  /** The ID-token algorithms this server signs with. */
  idTokenAlgs: readonly IdTokenAlg[]
}

/** What every client may ask for unless registered with less. */
export const DEFAULT_CLIENT_SCOPE = 'openid profile email offline_access'
const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const
export const DPOP_SETTINGS: readonly ClientDPoPSetting[] = ['required', 'allowed', 'off']
const METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
]
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/
// RFC 6749 §3.3 scope-token characters.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/
const MAX_URIS = 20

const invalid = (field: string, message: string) => new ClientInvalid(`${field}: ${message}`)

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** Shortened for messages: a URI is not a secret, but an unbounded one is not a message either. */
const shown = (uri: string) => JSON.stringify(uri.length > 80 ? `${uri.slice(0, 77)}...` : uri)

/**
 * An absolute URI without a fragment; `https`, or `http` on a loopback host (any host in development),
 * or (redirect URIs of native apps only, RFC 8252 §7.1) a private-use scheme with a dot in it.
 */
function checkUri(field: string, uri: string, policy: RegistrationPolicy, privateSchemes: boolean): string {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2000)
    throw invalid(field, 'must be an absolute URI of at most 2000 characters')
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    throw invalid(field, `${shown(uri)} is not an absolute URI (like https://app.example.com/callback)`)
  }
  if (uri.includes('#'))
    throw invalid(field, `${shown(uri)} has a fragment, which a redirect URI must not have`)
  if (url.username || url.password) throw invalid(field, `${shown(uri)} carries credentials`)
  if (url.protocol === 'https:') return uri
  if (url.protocol === 'http:') {
    if (policy.development || isLoopbackHost(url.hostname)) return uri
    throw invalid(field, `${shown(uri)} must use https (plain http is for loopback hosts and development)`)
  }
  if (privateSchemes && /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol)) return uri
  throw invalid(field, `${shown(uri)} must be an https URL`)
}

function uriList(
  field: string,
  uris: unknown,
  policy: RegistrationPolicy,
  privateSchemes: boolean,
): string[] {
  if (uris === undefined) return []
  if (!Array.isArray(uris)) throw invalid(field, 'must be a list of URIs')
  if (uris.length > MAX_URIS) throw invalid(field, `at most ${MAX_URIS} URIs`)
  return [...new Set(uris.map((u) => checkUri(field, u as string, policy, privateSchemes)))]
}

function checkJwks(text: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalid('jwks', 'is not JSON: give a JWK Set such as {"keys":[…]}')
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'object' || k === null))
    throw invalid('jwks', 'must be a JWK Set with at least one key ({"keys":[…]})')
  if (keys.some((k) => 'd' in k || 'p' in k || 'k' in k))
    throw invalid('jwks', 'holds private or symmetric key material: register the public keys only')
  return JSON.stringify(parsed)
}

/** A checked registration with every default filled in (no secret yet: the registry adds it). */
export function checkRegistration(
  input: ClientRegistration,
  policy: RegistrationPolicy,
  id: string,
  now: number,
): Omit<OAuthClientRecord, 'secretHash'> {
  const name = typeof input.name === 'string' ? input.name.trim() : ''
  if (name.length === 0 || name.length > 100) throw invalid('name', 'must be 1 to 100 characters')
  if (!CLIENT_ID.test(id)) throw invalid('client_id', 'must be 1 to 128 of A-Z a-z 0-9 . _ ~ -')
  const type: ClientType = input.type ?? 'confidential'
  if (type !== 'confidential' && type !== 'public') throw invalid('type', 'must be confidential or public')

  const method: ClientAuthMethod =
    input.tokenEndpointAuthMethod ?? (type === 'public' ? 'none' : 'client_secret_basic')
  if (!METHODS.includes(method))
    throw invalid('token_endpoint_auth_method', `must be one of ${METHODS.join(', ')}`)
  if (type === 'public' && method !== 'none')
    throw invalid('token_endpoint_auth_method', 'a public client has no secret or key: it must be none')
  if (type === 'confidential' && method === 'none')
    throw invalid(
      'token_endpoint_auth_method',
      'a confidential client must authenticate: use client_secret_basic',
    )

  const jwksUri = input.jwksUri ?? null
  if (jwksUri !== null) checkUri('jwks_uri', jwksUri, policy, false)
  const jwks = input.jwks === undefined || input.jwks === null ? null : checkJwks(input.jwks)
  if (jwksUri !== null && jwks !== null) throw invalid('jwks', 'give either jwks or jwks_uri, not both')
  if (method === 'private_key_jwt' && jwksUri === null && jwks === null)
    throw invalid('token_endpoint_auth_method', 'private_key_jwt needs the client keys: --jwks-uri or jwks')

  const grantTypes = [...new Set(input.grantTypes ?? ['authorization_code', 'refresh_token'])]
  for (const grant of grantTypes)
    if (!(GRANTS as readonly string[]).includes(grant))
      throw invalid('grant_types', `${JSON.stringify(grant)} is not one of ${GRANTS.join(', ')}`)
  if (type === 'public' && grantTypes.includes('client_credentials'))
    throw invalid('grant_types', 'a public client cannot use client_credentials (it holds no credential)')
  if (grantTypes.length === 0) throw invalid('grant_types', 'needs at least one grant')

  const redirectUris = uriList('redirect_uris', input.redirectUris, policy, type === 'public')
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0)
    throw invalid('redirect_uris', 'needs at least one (--redirect-uri URI)')
  const postLogoutRedirectUris = uriList(
    'post_logout_redirect_uris',
    input.postLogoutRedirectUris,
    policy,
    false,
  )
  const backchannelLogoutUri =
    input.backchannelLogoutUri === undefined || input.backchannelLogoutUri === null
      ? null
      : checkUri('backchannel_logout_uri', input.backchannelLogoutUri, policy, false)

  const scopes = (input.scope ?? DEFAULT_CLIENT_SCOPE).split(/\s+/).filter(Boolean)
  if (scopes.length === 0) throw invalid('scope', 'needs at least one scope')
  for (const s of scopes)
    if (!SCOPE_TOKEN.test(s)) throw invalid('scope', `${JSON.stringify(s)} is not a scope token`)

  const alg = input.idTokenSignedResponseAlg ?? 'RS256'
  if (!policy.idTokenAlgs.includes(alg))
    throw invalid(
      'id_token_signed_response_alg',
      `must be one of ${policy.idTokenAlgs.join(', ')} (never none)`,
    )

  const dpop = input.dpop ?? 'allowed'
  if (!DPOP_SETTINGS.includes(dpop)) throw invalid('dpop', `must be one of ${DPOP_SETTINGS.join(', ')}`)

  return {
    id,
    name,
    type,
    redirectUris,
    postLogoutRedirectUris,
    backchannelLogoutUri,
    firstParty: input.firstParty === true,
    scope: [...new Set(scopes)].join(' '),
    grantTypes,
    tokenEndpointAuthMethod: method,
    idTokenSignedResponseAlg: alg,
    jwksUri,
    jwks,
    dpop,
    createdAt: now,
    updatedAt: now,
  }
}
