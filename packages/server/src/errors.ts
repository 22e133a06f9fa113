/**
 * @module The server's typed errors and their registry; `http/to-http-error.ts` turns any of them into an
 * HTTP status and an OAuth-style body (RFC 6749 §5.2 shape: `{ error, error_description }`).
 *
 * Each class has a stable `code` (`ERR_<AREA>_<WHAT>`), a status and an OAuth `error`. Errors not thrown
 * on purpose (anything without `expose`) become `500 server_error` with a generic description, so an
 * internal message can never leak. Messages never contain a token, password, secret or key.
 */

import { AUTHORIZE_ERRORS, type AuthorizeErrorCode } from './oidc/authorize/error-codes.js'

export interface ErrorOptions {
  cause?: unknown
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>
}

/** Base class: every error the server throws on purpose. */
export class ServerError extends Error {
  readonly code: string = 'ERR_SERVER'
  readonly status: number = 500
  readonly oauthError: string = 'server_error'
  readonly expose: boolean = true
  readonly headers: Record<string, string>
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = this.constructor.name
    this.headers = options.headers ?? {}
  }
}

/** A setting is missing, malformed or unsafe (raised at start; names the setting). */
export class ConfigInvalid extends ServerError {
  override readonly code = 'ERR_CONFIG_INVALID'
  readonly setting: string
  constructor(setting: string, message: string) {
    super(`${setting}: ${message}`)
    this.setting = setting
  }
}

/** The request is malformed: a missing or wrong field, a bad JSON body. */
export class RequestInvalid extends ServerError {
  override readonly code = 'ERR_REQUEST_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_request'
}

/** The body's media type is not the one this endpoint takes. */
export class MediaTypeUnsupported extends ServerError {
  override readonly code = 'ERR_REQUEST_MEDIA_TYPE'
  override readonly status = 415
  override readonly oauthError = 'invalid_request'
}

/** The body is larger than the configured limit. */
export class BodyTooLarge extends ServerError {
  override readonly code = 'ERR_REQUEST_TOO_LARGE'
  override readonly status = 413
  override readonly oauthError = 'invalid_request'
}

/** No route here. */
export class RouteNotFound extends ServerError {
  override readonly code = 'ERR_ROUTE_NOT_FOUND'
  override readonly status = 404
  override readonly oauthError = 'invalid_request'
}

/** The path exists, but not for this method (RFC 9110 §15.5.6: the `Allow` header lists those it has). */
export class MethodNotAllowed extends ServerError {
  override readonly code = 'ERR_METHOD_NOT_ALLOWED'
  override readonly status = 405
  override readonly oauthError = 'invalid_request'
}

/** Username or password wrong, or the account disabled: deliberately one error for all three. */
export class CredentialsInvalid extends ServerError {
  override readonly code = 'ERR_AUTH_CREDENTIALS_INVALID'
  override readonly status = 401
  override readonly oauthError = 'invalid_grant'
  constructor(message = 'the username or password is wrong') {
    super(message)
  }
}

/** Self-service registration is switched off (`--registration false`). */
export class RegistrationDisabled extends ServerError {
  override readonly code = 'ERR_AUTH_REGISTRATION_DISABLED'
  override readonly status = 403
  override readonly oauthError = 'access_denied'
  constructor() {
    super('registration is turned off on this server; ask an administrator to add you (tessera users add)')
  }
}

/** The username is taken. */
export class UserExists extends ServerError {
  override readonly code = 'ERR_USER_EXISTS'
  override readonly status = 409
  override readonly oauthError = 'invalid_request'
}

/** No such user (administrative paths only: login never says this). */
export class UserNotFound extends ServerError {
  override readonly code = 'ERR_USER_NOT_FOUND'
  override readonly status = 404
  override readonly oauthError = 'invalid_request'
}

/** The password breaks the policy (too short, too long, too common). `reason` says which. */
export class PasswordRejected extends ServerError {
  override readonly code = 'ERR_PASSWORD_REJECTED'
  override readonly status = 400
  override readonly oauthError = 'invalid_request'
  readonly reason: 'too_short' | 'too_long' | 'too_common' | 'contains_username'
  constructor(reason: PasswordRejected['reason'], message: string) {
    super(message)
    this.reason = reason
  }
}

/** Too many attempts: per account (exponential back-off) or per address. Carries `Retry-After`. */
export class Throttled extends ServerError {
  override readonly code = 'ERR_AUTH_THROTTLED'
  override readonly status = 429
  override readonly oauthError = 'slow_down'
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number, scope: 'account' | 'address') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    super(`too many attempts from this ${scope}; try again in ${seconds} s`, {
      headers: { 'retry-after': String(seconds) },
    })
    this.retryAfterSeconds = seconds
  }
}

/** The refresh token is unknown, expired, revoked, or presented the wrong way (RFC 6749 §5.2). */
export class RefreshTokenInvalid extends ServerError {
  override readonly code = 'ERR_REFRESH_TOKEN_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_grant'
}

/** An already-used refresh token came back outside the grace window: the family is now revoked. */
export class RefreshTokenReused extends ServerError {
  override readonly code = 'ERR_REFRESH_TOKEN_REUSED'
  override readonly status = 400
  override readonly oauthError = 'invalid_grant'
  constructor() {
    super('this refresh token was already used; as a precaution the whole session was ended: log in again')
  }
}

/** The access token is missing, malformed, expired, forged, or its session was ended (RFC 6750 §3.1). */
export class AccessTokenInvalid extends ServerError {
  override readonly code = 'ERR_ACCESS_TOKEN_INVALID'
  override readonly status = 401
  override readonly oauthError = 'invalid_token'
  constructor(message: string, options: { realm?: string; missing?: boolean; cause?: unknown } = {}) {
    const realm = options.realm ?? 'tessera'
    // RFC 6750 §3.1: a request with no credentials gets the challenge without an error code.
    const challenge = options.missing
      ? `Bearer realm="${realm}"`
      : `Bearer realm="${realm}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`
    super(message, { headers: { 'www-authenticate': challenge }, cause: options.cause })
  }
}

/** The access token is valid but lacks a scope the resource needs (RFC 6750 §3.1). */
export class ScopeInsufficient extends ServerError {
  override readonly code = 'ERR_ACCESS_TOKEN_SCOPE'
  override readonly status = 403
  override readonly oauthError = 'insufficient_scope'
  constructor(scopes: readonly string[]) {
    super(`this resource needs the scope(s): ${scopes.join(' ')}`, {
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"` },
    })
  }
}

/** Client authentication failed (introspection without or with a wrong credential; RFC 6749 §5.2). */
export class ClientAuthFailed extends ServerError {
  override readonly code = 'ERR_CLIENT_AUTH_FAILED'
  override readonly status = 401
  override readonly oauthError = 'invalid_client'
  constructor(message = 'client authentication failed: send HTTP Basic credentials of a configured client') {
    super(message, { headers: { 'www-authenticate': 'Basic realm="tessera"' } })
  }
}

/** The `client_id` is not one this server knows. */
export class ClientUnknown extends ServerError {
  override readonly code = 'ERR_CLIENT_UNKNOWN'
  override readonly status = 400
  override readonly oauthError = 'invalid_client'
}

/** A client with this id is registered already. */
export class ClientExists extends ServerError {
  override readonly code = 'ERR_CLIENT_EXISTS'
  override readonly status = 409
  override readonly oauthError = 'invalid_request'
}

/** A client's registration is refused (a redirect URI, auth method or key set); the message names the field. */
export class ClientInvalid extends ServerError {
  override readonly code = 'ERR_CLIENT_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_client_metadata'
}

/** No registered client has this id (administrative paths: `tessera clients remove|rotate-secret`). */
export class ClientNotFound extends ServerError {
  override readonly code = 'ERR_CLIENT_NOT_FOUND'
  override readonly status = 404
  override readonly oauthError = 'invalid_request'
}

/** A cookie-authenticated, state-changing request came from another site (CSRF). */
export class CsrfRejected extends ServerError {
  override readonly code = 'ERR_CSRF_REJECTED'
  override readonly status = 403
  override readonly oauthError = 'access_denied'
}

/** No live session behind the session cookie (none sent, unknown, logged out): log in again. */
export class SessionInvalid extends ServerError {
  override readonly code = 'ERR_SESSION_INVALID'
  override readonly status = 401
  override readonly oauthError = 'login_required'
}

/** The session reached its idle or absolute timeout (OWASP Session Management): log in again. */
export class SessionExpired extends ServerError {
  override readonly code = 'ERR_SESSION_EXPIRED'
  override readonly status = 401
  override readonly oauthError = 'login_required'
}

/** No comparison report exists yet (outside demo mode the server never runs one by itself). */
export class CompareUnavailable extends ServerError {
  override readonly code = 'ERR_COMPARE_UNAVAILABLE'
  override readonly status = 404
  override readonly oauthError = 'invalid_request'
}

/** A comparison run could not finish: the measured server was unreachable or answered unexpectedly. */
export class CompareFailed extends ServerError {
  override readonly code = 'ERR_COMPARE_FAILED'
  override readonly status = 502
  override readonly oauthError = 'server_error'
}

/** The store could not answer (locked, gone, down): retry later. */
export class StoreUnavailable extends ServerError {
  override readonly code = 'ERR_STORE_UNAVAILABLE'
  override readonly status = 503
  override readonly oauthError = 'temporarily_unavailable'
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, headers: { 'retry-after': '1', ...options.headers } })
  }
}

/** Signing keys cannot be used: no secret in production, or they were encrypted under another secret. */
export class KeysUnavailable extends ServerError {
  override readonly code = 'ERR_KEYS_UNAVAILABLE'
}

/** A resource server could not fetch the issuer's JWKS (and holds no usable cached copy). */
export class IssuerKeysUnavailable extends ServerError {
  override readonly code = 'ERR_ISSUER_JWKS_UNAVAILABLE'
  override readonly status = 503
  override readonly oauthError = 'temporarily_unavailable'
}

/**
 * The revocation set cannot be trusted right now (its channel is down and not yet reloaded, or a
 * resource server's feed has never synced): token checks that need it fail closed until it is.
 */
export class RevocationsUnavailable extends ServerError {
  override readonly code = 'ERR_REVOCATIONS_UNAVAILABLE'
  override readonly status = 503
  override readonly oauthError = 'temporarily_unavailable'
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, headers: { 'retry-after': '1', ...options.headers } })
  }
}

/** The authorization code or the grant it names is unknown, expired, used, or bound to something else (RFC 6749 §5.2). */
export class GrantInvalid extends ServerError {
  override readonly code = 'ERR_OAUTH_GRANT_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_grant'
}

/** `/token` does not know this `grant_type`. */
export class GrantTypeUnsupported extends ServerError {
  override readonly code = 'ERR_OAUTH_GRANT_TYPE_UNSUPPORTED'
  override readonly status = 400
  override readonly oauthError = 'unsupported_grant_type'
}

/** The client is known but not allowed this grant (a public client asking for client_credentials). */
export class ClientUnauthorized extends ServerError {
  override readonly code = 'ERR_OAUTH_CLIENT_UNAUTHORIZED'
  override readonly status = 400
  override readonly oauthError = 'unauthorized_client'
}

/** A scope asked for is unknown or beyond what the client is registered for. */
export class ScopeInvalid extends ServerError {
  override readonly code = 'ERR_OAUTH_SCOPE_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_scope'
}

/** The RFC 8707 `resource` names no resource registered here (`--resource`). */
export class TargetInvalid extends ServerError {
  override readonly code = 'ERR_OAUTH_TARGET_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_target'
}

/**
 * A DPoP proof (RFC 9449 §4.3) was refused — malformed, by another key, for another URL or method, stale,
 * replayed — or the client must send one. 400 at the token endpoints (§5); resource endpoints answer 401
 * with `WWW-Authenticate: DPoP` (§7.1). The message names what failed, never the proof or the key.
 */
export class DPoPProofRefused extends ServerError {
  override readonly code = 'ERR_DPOP_PROOF_INVALID'
  override readonly status = 400
  override readonly oauthError = 'invalid_dpop_proof'
}

/**
 * The proof carries no nonce, or one this server no longer accepts (RFC 9449 §8): retry with the nonce
 * in this answer's `DPoP-Nonce` header.
 */
export class DPoPNonceRequired extends ServerError {
  override readonly code = 'ERR_DPOP_NONCE_REQUIRED'
  override readonly status = 400
  override readonly oauthError = 'use_dpop_nonce'
  /** The nonce the client must put in its next proof (also sent as `DPoP-Nonce`). */
  readonly nonce: string
  constructor(message: string, nonce: string, options: ErrorOptions = {}) {
    super(message, { ...options, headers: { 'dpop-nonce': nonce, ...options.headers } })
    this.nonce = nonce
  }
}

/**
 * Every error class the server throws on purpose. The code union below is derived from it, and
 * test/errors-doc.test.ts checks it against the classes in this file and the table in docs/server.md.
 */
export const SERVER_ERRORS = [
  ConfigInvalid,
  RequestInvalid,
  MediaTypeUnsupported,
  BodyTooLarge,
  RouteNotFound,
  MethodNotAllowed,
  CredentialsInvalid,
  RegistrationDisabled,
  UserExists,
  UserNotFound,
  PasswordRejected,
  Throttled,
  RefreshTokenInvalid,
  RefreshTokenReused,
  AccessTokenInvalid,
  ScopeInsufficient,
  ClientAuthFailed,
  ClientUnknown,
  ClientExists,
  ClientInvalid,
  ClientNotFound,
  CsrfRejected,
  SessionInvalid,
  SessionExpired,
  CompareUnavailable,
  CompareFailed,
  StoreUnavailable,
  KeysUnavailable,
  IssuerKeysUnavailable,
  RevocationsUnavailable,
  GrantInvalid,
  GrantTypeUnsupported,
  ClientUnauthorized,
  ScopeInvalid,
  TargetInvalid,
  DPoPProofRefused,
  DPoPNonceRequired,
] as const

export { AUTHORIZE_ERRORS, type AuthorizeErrorCode }

/** Every code the server can put in a body or throw, for exhaustive switches (`ERR_SERVER`: unexpected). */
export type ServerErrorCode =
  | InstanceType<(typeof SERVER_ERRORS)[number]>['code']
  | AuthorizeErrorCode
  | 'ERR_SERVER'
