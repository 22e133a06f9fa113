/**
 * @module Checking an authorization request, in the order that keeps refusals safe: first the client and
 * its redirect_uri (until both are proven, a refusal is a page, never a redirect), then everything else
 * (refused by redirecting to that URI). Parameters this server does not know are ignored (RFC 6749 §3.1).
 */
import type { OAuthClientRecord } from '../../store/types.js'
import type { AuthorizationRequest, Prompt } from './authorization-request.js'
import { AuthorizeError } from './authorize-error.js'
import type { RequestParams } from './request-params.js'

/** What `/authorize` needs of the client registry. */
export interface ClientDirectory {
  find(id: string): Promise<OAuthClientRecord | undefined> | OAuthClientRecord | undefined
  /** Exact match against the registered list; a loopback URI may differ only in its port (RFC 8252 §7.3). */
  matchRedirectUri(client: OAuthClientRecord, uri: string): boolean
}

export interface ProvenClient {
  client: OAuthClientRecord
  redirectUri: string
}

const CLIENT_ID = /^[\x21-\x7e]{1,128}$/
/** RFC 7636 §4.2: 43-128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/
/** RFC 6749 §3.3 scope-token. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/
/** RFC 9449 §10: a base64url SHA-256 JWK thumbprint. */
const JKT = /^[A-Za-z0-9_-]{43}$/
const PROMPTS: ReadonlySet<string> = new Set(['none', 'login', 'consent', 'select_account'])

/** Longest accepted value of each free-text parameter (bounds what is sealed into forms and stored). */
const MAX_LENGTH: Record<string, number> = {
  state: 2048,
  nonce: 512,
  login_hint: 256,
  ui_locales: 256,
  acr_values: 512,
  id_token_hint: 8192,
  resource: 2048,
}

/** The client and the redirect_uri, or an error page: nothing is redirected before both are proven. */
export async function proveClient(params: RequestParams, clients: ClientDirectory): Promise<ProvenClient> {
  if (params.repeated.has('client_id') || params.repeated.has('redirect_uri'))
    // A page, not a redirect: which of the two values would we trust?
    throw new AuthorizeError(
      'ERR_AUTHORIZE_REQUEST_INVALID',
      'client_id and redirect_uri must each be sent once',
      {
        page: true,
      },
    )
  const clientId = params.get('client_id')
  if (clientId === undefined)
    throw new AuthorizeError('ERR_AUTHORIZE_CLIENT_UNKNOWN', 'the request has no client_id')
  const client = CLIENT_ID.test(clientId) ? await clients.find(clientId) : undefined
  if (!client)
    throw new AuthorizeError(
      'ERR_AUTHORIZE_CLIENT_UNKNOWN',
      'this client_id is not registered here: check the client_id the application was given',
    )
  const redirectUri = params.get('redirect_uri')
  if (redirectUri === undefined)
    throw new AuthorizeError('ERR_AUTHORIZE_REDIRECT_URI', 'the request has no redirect_uri')
  if (redirectUri.length > 2048 || !clients.matchRedirectUri(client, redirectUri))
    throw new AuthorizeError(
      'ERR_AUTHORIZE_REDIRECT_URI',
      'this redirect_uri is not registered for the client; it must match a registered one exactly',
    )
  return { client, redirectUri }
}

/** The `state` to echo in a refusal: only a single, well-sized one. */
export function echoedState(params: RequestParams): string | null {
  const state = params.get('state')
  if (state === undefined || params.repeated.has('state') || state.length > MAX_LENGTH.state!) return null
  return state
}

/** Everything after the client: throws AuthorizeError that may be redirected to `proven.redirectUri`. */
export function validateRequest(params: RequestParams, proven: ProvenClient): AuthorizationRequest {
  const invalid = (message: string) => new AuthorizeError('ERR_AUTHORIZE_REQUEST_INVALID', message)
  const [repeated] = params.repeated
  if (repeated !== undefined) throw invalid(`the parameter ${repeated.slice(0, 40)} was sent more than once`)
  if (params.get('request') !== undefined)
    throw new AuthorizeError('ERR_AUTHORIZE_REQUEST_OBJECT', 'request objects are not supported here')
  if (params.get('request_uri') !== undefined)
    throw new AuthorizeError('ERR_AUTHORIZE_REQUEST_OBJECT', 'request_uri is not supported here', {
      error: 'request_uri_not_supported',
    })
  for (const [name, max] of Object.entries(MAX_LENGTH)) {
    if ((params.get(name)?.length ?? 0) > max) throw invalid(`${name} is longer than ${max} characters`)
  }

  const responseType = params.get('response_type')
  if (responseType === undefined) throw invalid('the request has no response_type: send response_type=code')
  if (responseType !== 'code')
    throw new AuthorizeError(
      'ERR_AUTHORIZE_RESPONSE_TYPE',
      'only response_type=code is supported (the authorization code flow with PKCE)',
    )
  if (!proven.client.grantTypes.includes('authorization_code'))
    throw new AuthorizeError(
      'ERR_AUTHORIZE_UNAUTHORIZED_CLIENT',
      'this client is not registered for the authorization code grant',
    )
  const responseMode = params.get('response_mode')
  if (responseMode !== undefined && responseMode !== 'query')
    throw invalid('only response_mode=query is supported')

  const scope = checkScope(params.get('scope'), proven.client)
  const codeChallenge = checkPkce(params.get('code_challenge'), params.get('code_challenge_method'))
  const prompt = checkPrompt(params.get('prompt'))

  const maxAgeText = params.get('max_age')
  if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText))
    throw invalid('max_age must be a whole number of seconds')

  const resource = params.get('resource') ?? null
  if (resource !== null) checkResource(resource)
  const dpopJkt = params.get('dpop_jkt') ?? null
  if (dpopJkt !== null && !JKT.test(dpopJkt))
    throw invalid('dpop_jkt must be the base64url SHA-256 thumbprint of a JWK (RFC 9449 §10)')

  return {
    clientId: proven.client.id,
    redirectUri: proven.redirectUri,
    scope,
    state: params.get('state') ?? null,
    nonce: params.get('nonce') ?? null,
    codeChallenge,
    prompt,
    maxAge: maxAgeText === undefined ? null : Number(maxAgeText),
    loginHint: params.get('login_hint') ?? null,
    idTokenHint: params.get('id_token_hint') ?? null,
    uiLocales: (params.get('ui_locales') ?? '').split(' ').filter((tag) => tag !== ''),
    acrValues: params.get('acr_values') ?? null,
    resource,
    // A client with DPoP `off` gets Bearer tokens whatever it sends, so its codes are bound to no key.
    dpopJkt: proven.client.dpop === 'off' ? null : dpopJkt,
  }
}

function checkScope(text: string | undefined, client: OAuthClientRecord): string {
  const asked = [...new Set((text ?? '').split(' ').filter((s) => s !== ''))]
  if (!asked.includes('openid'))
    throw new AuthorizeError(
      'ERR_AUTHORIZE_SCOPE',
      'scope must include openid (this is an OpenID Connect provider)',
    )
  const allowed = new Set(client.scope.split(' '))
  const refused = asked.find((s) => !SCOPE_TOKEN.test(s) || !allowed.has(s))
  if (refused !== undefined)
    throw new AuthorizeError(
      'ERR_AUTHORIZE_SCOPE',
      `the scope ${JSON.stringify(refused.slice(0, 40))} is unknown or not allowed for this client`,
    )
  return asked.join(' ')
}

function checkPkce(challenge: string | undefined, method: string | undefined): string {
  // RFC 9700 §2.1.1 / OAuth 2.1: PKCE for every client; `plain` would hand the verifier to whoever sees
  // the front channel, so only S256 is taken — and a missing method means plain (RFC 7636 §4.3).
  if (challenge === undefined)
    throw new AuthorizeError(
      'ERR_AUTHORIZE_PKCE',
      'PKCE is required: send code_challenge and code_challenge_method=S256',
    )
  if (method !== 'S256')
    throw new AuthorizeError(
      'ERR_AUTHORIZE_PKCE',
      method === undefined
        ? 'code_challenge_method is missing (that means plain): send code_challenge_method=S256'
        : 'only code_challenge_method=S256 is supported',
    )
  if (!CODE_CHALLENGE.test(challenge))
    throw new AuthorizeError(
      'ERR_AUTHORIZE_PKCE',
      'code_challenge must be the base64url SHA-256 of the code verifier (43 characters)',
    )
  return challenge
}

function checkPrompt(text: string | undefined): Prompt[] {
  const values = [...new Set((text ?? '').split(' ').filter((p) => p !== ''))]
  const unknown = values.find((p) => !PROMPTS.has(p))
  if (unknown !== undefined)
    throw new AuthorizeError(
      'ERR_AUTHORIZE_REQUEST_INVALID',
      `prompt ${JSON.stringify(unknown.slice(0, 20))} is not supported (none, login, consent, select_account)`,
    )
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (values.includes('none') && values.length > 1)
    throw new AuthorizeError(
      'ERR_AUTHORIZE_REQUEST_INVALID',
      'prompt=none cannot be combined with other values',
    )
  return values as Prompt[]
}

function checkResource(resource: string): void {
  let url: URL | undefined
  try {
    url = new URL(resource)
  } catch {
    url = undefined
  }
  // RFC 8707 §2: an absolute URI, no fragment.
  if (!url || resource.includes('#'))
    throw new AuthorizeError('ERR_AUTHORIZE_RESOURCE', 'resource must be an absolute URI without a fragment')
}
