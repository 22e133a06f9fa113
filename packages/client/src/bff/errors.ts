/**
 * @module Typed errors of the backend-for-frontend helper: one class per kind of refusal, each with a
 * stable `code` and the HTTP status the handler answers with. Messages never carry a token or a secret.
 */

/** Base class of every error the BFF helper throws or answers with on purpose. */
export class BffError extends Error {
  readonly code: BffErrorCode
  /** The status the handler answers with. */
  readonly status: number
  constructor(code: BffErrorCode, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BffError'
    this.code = code
    this.status = status
  }
}

/** An option of `createBff` is missing or malformed (checked when the helper is built). */
export class BffOptionInvalid extends BffError {
  constructor(message: string) {
    super('ERR_BFF_OPTION_INVALID', 500, message)
    this.name = 'BffOptionInvalid'
  }
}

/** A state-changing request carried the session cookie but came from another origin (or said nothing). */
export class BffCsrfRejected extends BffError {
  constructor(message: string) {
    super('ERR_BFF_CSRF_REJECTED', 403, message)
    this.name = 'BffCsrfRejected'
  }
}

/** No session: no cookie, an unknown or expired one, or one ended by a logout. */
export class BffNotSignedIn extends BffError {
  constructor(message = 'not signed in: start at the login route') {
    super('ERR_BFF_NOT_SIGNED_IN', 401, message)
    this.name = 'BffNotSignedIn'
  }
}

/**
 * The provider's answer at the callback was refused: no sign-in pending in this browser, `state` or
 * `iss` (RFC 9207) did not match, the provider sent an OAuth error, or the ID token failed a check.
 */
export class BffCallbackInvalid extends BffError {
  /** The OAuth `error` of the authorization response, when the provider sent one. */
  readonly oauthError: string | undefined
  constructor(message: string, oauthError?: string, options?: { cause?: unknown }) {
    super('ERR_BFF_CALLBACK_INVALID', 400, message, options)
    this.name = 'BffCallbackInvalid'
    this.oauthError = oauthError
  }
}

/** The provider could not be reached, or refused a grant for a reason that is not the session's end. */
export class BffProviderError extends BffError {
  /** The OAuth `error` the token endpoint answered with, if any. */
  readonly oauthError: string | undefined
  constructor(message: string, oauthError?: string, options?: { cause?: unknown }) {
    super('ERR_BFF_PROVIDER', 502, message, options)
    this.name = 'BffProviderError'
    this.oauthError = oauthError
  }
}

/** A back-channel logout token failed a check (OpenID Back-Channel Logout 1.0 §2.6). */
export class BffLogoutTokenInvalid extends BffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_BFF_LOGOUT_TOKEN_INVALID', 400, message, options)
    this.name = 'BffLogoutTokenInvalid'
  }
}

/** Every code the BFF helper uses; stable, never reused. */
export type BffErrorCode =
  | 'ERR_BFF_OPTION_INVALID'
  | 'ERR_BFF_CSRF_REJECTED'
  | 'ERR_BFF_NOT_SIGNED_IN'
  | 'ERR_BFF_CALLBACK_INVALID'
  | 'ERR_BFF_PROVIDER'
  | 'ERR_BFF_LOGOUT_TOKEN_INVALID'
