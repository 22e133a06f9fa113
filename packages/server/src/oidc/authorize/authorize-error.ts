/**
 * @module The refusals of `/authorize`: one class whose `code` is stable and whose `error` is the OAuth
 * one (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). `redirect` says whether the refusal may be sent to the
 * client's redirect_uri: never while the client or that URI is unproven (RFC 6749 §4.1.2.1, RFC 9700
 * §4.11 open redirectors), so those become an error page instead.
 */

export type AuthorizeErrorCode =
  | 'ERR_AUTHORIZE_CLIENT_UNKNOWN'
  | 'ERR_AUTHORIZE_REDIRECT_URI'
  | 'ERR_AUTHORIZE_REQUEST_INVALID'
  | 'ERR_AUTHORIZE_RESPONSE_TYPE'
  | 'ERR_AUTHORIZE_UNAUTHORIZED_CLIENT'
  | 'ERR_AUTHORIZE_SCOPE'
  | 'ERR_AUTHORIZE_PKCE'
  | 'ERR_AUTHORIZE_RESOURCE'
  | 'ERR_AUTHORIZE_REQUEST_OBJECT'
  | 'ERR_AUTHORIZE_LOGIN_REQUIRED'
  | 'ERR_AUTHORIZE_CONSENT_REQUIRED'
  | 'ERR_AUTHORIZE_ACCESS_DENIED'
  | 'ERR_AUTHORIZE_INTERACTION'

const OAUTH_ERROR: Record<AuthorizeErrorCode, string> = {
  ERR_AUTHORIZE_CLIENT_UNKNOWN: 'invalid_request',
  ERR_AUTHORIZE_REDIRECT_URI: 'invalid_request',
  ERR_AUTHORIZE_REQUEST_INVALID: 'invalid_request',
  ERR_AUTHORIZE_RESPONSE_TYPE: 'unsupported_response_type',
  ERR_AUTHORIZE_UNAUTHORIZED_CLIENT: 'unauthorized_client',
  ERR_AUTHORIZE_SCOPE: 'invalid_scope',
  ERR_AUTHORIZE_PKCE: 'invalid_request',
  ERR_AUTHORIZE_RESOURCE: 'invalid_target',
  ERR_AUTHORIZE_REQUEST_OBJECT: 'request_not_supported',
  ERR_AUTHORIZE_LOGIN_REQUIRED: 'login_required',
  ERR_AUTHORIZE_CONSENT_REQUIRED: 'consent_required',
  ERR_AUTHORIZE_ACCESS_DENIED: 'access_denied',
  ERR_AUTHORIZE_INTERACTION: 'invalid_request',
}

/** Codes that are shown on a page and never redirected (the client or its redirect_uri is not proven). */
const PAGE_ONLY: ReadonlySet<AuthorizeErrorCode> = new Set([
  'ERR_AUTHORIZE_CLIENT_UNKNOWN',
  'ERR_AUTHORIZE_REDIRECT_URI',
  'ERR_AUTHORIZE_INTERACTION',
])

export class AuthorizeError extends Error {
  readonly code: AuthorizeErrorCode
  /** The OAuth `error` value. */
  readonly error: string
  /** False: answer with an HTML page (400), never a redirect. */
  readonly redirect: boolean

  constructor(code: AuthorizeErrorCode, message: string, options: { error?: string; page?: boolean } = {}) {
    super(message)
    this.name = 'AuthorizeError'
    this.code = code
    this.error = options.error ?? OAUTH_ERROR[code]
    this.redirect = !(options.page === true || PAGE_ONLY.has(code))
  }
}
