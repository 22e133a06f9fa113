/**
 * @module What the provider says about itself: one metadata object served both as OpenID Connect
 * Discovery 1.0 (`/.well-known/openid-configuration`) and as RFC 8414 authorization server metadata
 * (`/.well-known/oauth-authorization-server`), so the two never disagree. `issuer` is exactly the
 * issuer every token carries; each endpoint is the issuer plus its path.
 */
import type { ServerConfig } from '../../config.js'
import { DPOP_SIGNING_ALGS } from '../../dpop/algorithms.js'

/** The scopes OpenID Connect defines that this provider answers to (beside the configured API scope). */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

/** Claims an ID token or `/userinfo` may carry. */
export const CLAIMS_SUPPORTED = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'amr',
  'sid',
  'at_hash',
  'azp',
  'preferred_username',
  'name',
  'updated_at',
  'email',
  'email_verified',
] as const

/** The client authentication methods of `/token`, `/oauth/revoke` and `/oauth/introspect`. */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const

/** What a `private_key_jwt` client assertion may be signed with (RFC 7523; never `none` or HMAC). */
export const CLIENT_ASSERTION_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const

export type ProviderMetadata = ReturnType<typeof providerMetadata>

export function providerMetadata(config: ServerConfig, issuer: string) {
  const at = (path: string) => `${issuer}${path}`
  return {
    issuer,
    authorization_endpoint: at('/authorize'),
    token_endpoint: at('/token'),
    userinfo_endpoint: at('/userinfo'),
    jwks_uri: at('/.well-known/jwks.json'),
    end_session_endpoint: at('/logout'),
    revocation_endpoint: at('/oauth/revoke'),
    introspection_endpoint: at('/oauth/introspect'),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    subject_types_supported: ['public'],
    // RS256 first: the default every relying party may assume (OIDC Core §3.1.3.7).
    id_token_signing_alg_values_supported: ['RS256', ...config.idTokenAlgs.filter((a) => a !== 'RS256')],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    introspection_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ],
    introspection_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGS],
    scopes_supported: [...new Set([...OIDC_SCOPES, ...config.scope.split(/\s+/).filter(Boolean)])],
    claims_supported: [...CLAIMS_SUPPORTED],
    prompt_values_supported: ['none', 'login', 'consent'],
    ui_locales_supported: ['en', 'ko'],
    // RFC 9207: every authorization response carries `iss` (mix-up defence).
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
    // Request objects, request_uri and the claims parameter are not supported (Discovery §3 defaults
    // request_uri_parameter_supported to true, so it is said explicitly).
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    access_token_signing_alg_values_supported: [config.signingAlg],
    // RFC 9449 §5.1: the proof algorithms every token endpoint and resource of this issuer accepts.
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    // Tessera's own first-party API (the JSON login of the bundled pages and CLI).
    tessera_login_endpoint: at('/auth/login'),
    tessera_register_endpoint: at('/auth/register'),
    tessera_refresh_endpoint: at('/auth/refresh'),
    tessera_logout_endpoint: at('/auth/logout'),
    tessera_userinfo_endpoint: at('/me'),
  }
}

/** The response schema (the allow-list of what is serialised), derived from one sample document. */
export function metadataSchema(sample: ProviderMetadata) {
  const properties: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(sample)) {
    properties[name] = Array.isArray(value)
      ? { type: 'array', items: { type: 'string' } }
      : { type: typeof value === 'boolean' ? 'boolean' : 'string' }
  }
  return { type: 'object', properties } as const
}
