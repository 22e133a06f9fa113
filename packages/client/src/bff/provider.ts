/**
 * @module The BFF's side of the provider's endpoints, as a confidential client: discovery (the document
 * must name the configured issuer), the token endpoint (authorization_code with the PKCE verifier,
 * refresh_token) with client_secret_basic, userinfo, revocation, and the end-session URL.
 */
import { BffCallbackInvalid, BffOptionInvalid, BffProviderError } from './errors.js'

export interface ProviderMetadata {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  jwks_uri: string
  userinfo_endpoint?: string
  end_session_endpoint?: string
  revocation_endpoint?: string
  id_token_signing_alg_values_supported?: string[]
  authorization_response_iss_parameter_supported?: boolean
}

export interface TokenResponse {
  access_token: string
  token_type: string
  expires_in?: number
  refresh_token?: string
  id_token?: string
  scope?: string
}

/** Reads `${issuer}/.well-known/openid-configuration` and checks it is the issuer's own (OIDC Discovery §4.3). */
export async function discover(issuer: string, fetchImpl: typeof fetch): Promise<ProviderMetadata> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
  let response: Response
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'error' })
  } catch (error) {
    throw new BffProviderError(
      `the provider's discovery document could not be fetched from ${url}`,
      undefined,
      {
        cause: error,
      },
    )
  }
  if (!response.ok)
    throw new BffProviderError(`the provider's discovery document answered ${response.status} at ${url}`)
  const metadata = (await response.json()) as Partial<ProviderMetadata>
  if (metadata.issuer !== issuer)
    throw new BffOptionInvalid(
      `issuer: the discovery document names issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)}`,
    )
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const)
    if (typeof metadata[field] !== 'string')
      throw new BffProviderError(`the provider's discovery document has no ${field}`)
  return metadata as ProviderMetadata
}

export interface ClientCredentials {
  clientId: string
  clientSecret: string
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they go into the Basic header. */
function basicAuthorization(client: ClientCredentials): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`
}

/** An OAuth error answer from the token endpoint, kept apart from a transport failure. */
export class TokenEndpointRefusal extends BffProviderError {
  /** The token endpoint's status (the BFF itself answers 502). */
  readonly providerStatus: number
  constructor(providerStatus: number, oauthError: string | undefined) {
    super(
      `the token endpoint refused the grant (${providerStatus} ${oauthError ?? 'no error code'})`,
      oauthError,
    )
    this.providerStatus = providerStatus
  }
}

/** POSTs a grant to the token endpoint; a refusal throws TokenEndpointRefusal, a network failure BffProviderError. */
export async function tokenRequest(
  metadata: ProviderMetadata,
  client: ClientCredentials,
  grant: Record<string, string>,
  fetchImpl: typeof fetch,
): Promise<TokenResponse> {
  let response: Response
  try {
    response = await fetchImpl(metadata.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(client),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(grant),
      redirect: 'error',
    })
  } catch (error) {
    throw new BffProviderError('the token endpoint could not be reached', undefined, { cause: error })
  }
  const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string }
  if (!response.ok) throw new TokenEndpointRefusal(response.status, body.error)
  if (typeof body.access_token !== 'string' || typeof body.token_type !== 'string')
    throw new BffProviderError('the token endpoint answered without access_token or token_type')
  if (body.token_type.toLowerCase() !== 'bearer')
    throw new BffProviderError(`the token endpoint answered token_type ${body.token_type}, not Bearer`)
  return body as TokenResponse
}

/** The userinfo claims for an access token (OIDC Core §5.3); the `sub` must be the ID token's. */
export async function fetchUserinfo(
  metadata: ProviderMetadata,
  accessToken: string,
  sub: string,
  fetchImpl: typeof fetch,
): Promise<Record<string, unknown>> {
  if (!metadata.userinfo_endpoint) return {}
  let response: Response
  try {
    response = await fetchImpl(metadata.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      redirect: 'error',
    })
  } catch (error) {
    throw new BffProviderError('the userinfo endpoint could not be reached', undefined, { cause: error })
  }
  if (!response.ok) throw new BffProviderError(`the userinfo endpoint answered ${response.status}`)
  const claims = (await response.json()) as Record<string, unknown>
  if (claims.sub !== sub)
    throw new BffCallbackInvalid(
      "the userinfo answer names another sub than the ID token's (OIDC Core §5.3.2)",
    )
  return claims
}

/** RFC 7009 revocation of a refresh token; best effort (the local session ends whatever it answers). */
export async function revokeToken(
  metadata: ProviderMetadata,
  client: ClientCredentials,
  token: string,
  fetchImpl: typeof fetch,
): Promise<boolean> {
  if (!metadata.revocation_endpoint) return false
  try {
    const response = await fetchImpl(metadata.revocation_endpoint, {
      method: 'POST',
      headers: {
        authorization: basicAuthorization(client),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
      redirect: 'error',
    })
    return response.ok
  } catch {
    return false
  }
}

/** The RP-initiated logout URL (OpenID RP-Initiated Logout 1.0 §2), or undefined without an end-session endpoint. */
export function endSessionUrl(
  metadata: ProviderMetadata,
  params: { idTokenHint: string; clientId: string; postLogoutRedirectUri: string | undefined },
): string | undefined {
  if (!metadata.end_session_endpoint) return undefined
  const url = new URL(metadata.end_session_endpoint)
  url.searchParams.set('id_token_hint', params.idTokenHint)
  url.searchParams.set('client_id', params.clientId)
  if (params.postLogoutRedirectUri)
    url.searchParams.set('post_logout_redirect_uri', params.postLogoutRedirectUri)
  return url.href
}
