/**
 * @module The codes of `/authorize`'s refusals, a table of its own so the server's error registry
 * (errors.ts) lists them beside its classes without this file importing any of them.
 */

/**
 * The refusals of `/authorize` (authorize-error.ts throws them; src/errors.ts re-exports this table): answered on an error page
 * (`page`: 400, never redirected, the client or its redirect_uri being unproven — RFC 6749 §4.1.2.1,
 * RFC 9700 §4.11) or redirected to the client's redirect_uri with `error`, `error_description`, `state`
 * and `iss` (302; 303 after a form). `oauthError` is the `error` value (RFC 6749 §4.1.2.1, OIDC Core
 * §3.1.2.6). test/errors-doc.test.ts checks these against docs/server.md too.
 */
export const AUTHORIZE_ERRORS = {
  ERR_AUTHORIZE_CLIENT_UNKNOWN: { oauthError: 'invalid_request', page: true },
  ERR_AUTHORIZE_REDIRECT_URI: { oauthError: 'invalid_request', page: true },
  ERR_AUTHORIZE_INTERACTION: { oauthError: 'invalid_request', page: true },
  ERR_AUTHORIZE_REQUEST_INVALID: { oauthError: 'invalid_request', page: false },
  ERR_AUTHORIZE_RESPONSE_TYPE: { oauthError: 'unsupported_response_type', page: false },
  ERR_AUTHORIZE_UNAUTHORIZED_CLIENT: { oauthError: 'unauthorized_client', page: false },
  ERR_AUTHORIZE_SCOPE: { oauthError: 'invalid_scope', page: false },
  ERR_AUTHORIZE_PKCE: { oauthError: 'invalid_request', page: false },
  ERR_AUTHORIZE_RESOURCE: { oauthError: 'invalid_target', page: false },
  ERR_AUTHORIZE_REQUEST_OBJECT: { oauthError: 'request_not_supported', page: false },
  ERR_AUTHORIZE_LOGIN_REQUIRED: { oauthError: 'login_required', page: false },
  ERR_AUTHORIZE_CONSENT_REQUIRED: { oauthError: 'consent_required', page: false },
  ERR_AUTHORIZE_ACCESS_DENIED: { oauthError: 'access_denied', page: false },
} as const satisfies Record<`ERR_AUTHORIZE_${string}`, { oauthError: string; page: boolean }>

export type AuthorizeErrorCode = keyof typeof AUTHORIZE_ERRORS
