/**
 * @module Typed errors of the browser SDK: one class per kind of failure, each with a stable `code`.
 *
 * Messages name the setting or the step at fault and what to do; they never carry a token, a code
 * verifier, a key or a refresh token.
 */

/** Base class of every error the SDK throws or emits on purpose. */
export class TesseraClientError extends Error {
  readonly code: ClientErrorCode
  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TesseraClientError'
    this.code = code
  }
}

/** An option given to `createClient` is missing or malformed (checked when the client is built). */
export class ClientOptionInvalid extends TesseraClientError {
  constructor(message: string) {
    super('ERR_CLIENT_OPTION_INVALID', message)
    this.name = 'ClientOptionInvalid'
  }
}

/** The issuer's discovery document could not be read, or does not describe the issuer that was configured. */
export class ClientDiscoveryFailed extends TesseraClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CLIENT_DISCOVERY_FAILED', message, options)
    this.name = 'ClientDiscoveryFailed'
  }
}

/**
 * The authorization response was refused: no login was pending in this tab, `state` or `iss` did not
 * match (RFC 9207), or the server answered with an OAuth error.
 */
export class ClientRedirectInvalid extends TesseraClientError {
  /** The OAuth `error` of the authorization response, when the server sent one. */
  readonly oauthError: string | undefined
  constructor(message: string, oauthError?: string) {
    super('ERR_CLIENT_REDIRECT_INVALID', message)
    this.name = 'ClientRedirectInvalid'
    this.oauthError = oauthError
  }
}

/** The ID token failed a check: signature by the issuer's JWKS, `iss`, `aud`, `exp` or `nonce`. */
export class ClientIdTokenInvalid extends TesseraClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CLIENT_ID_TOKEN_INVALID', message, options)
    this.name = 'ClientIdTokenInvalid'
  }
}

/** The token endpoint refused a grant (its OAuth `error` is kept; `invalid_grant` ends the session). */
export class ClientTokenRequestFailed extends TesseraClientError {
  readonly oauthError: string | undefined
  readonly status: number
  constructor(message: string, status: number, oauthError?: string) {
    super('ERR_CLIENT_TOKEN_REQUEST_FAILED', message)
    this.name = 'ClientTokenRequestFailed'
    this.status = status
    this.oauthError = oauthError
  }
}

/** The server could not be reached (a network failure or a 5xx): transient, the SDK retries with back-off. */
export class ClientNetworkError extends TesseraClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CLIENT_NETWORK', message, options)
    this.name = 'ClientNetworkError'
  }
}

/** No user is signed in: `getAccessToken` or `fetch` was called before a login, or after a sign-out. */
export class ClientNotSignedIn extends TesseraClientError {
  constructor(message = 'no user is signed in: call login() and handleRedirect() first') {
    super('ERR_CLIENT_NOT_SIGNED_IN', message)
    this.name = 'ClientNotSignedIn'
  }
}

/** The browser lacks something the SDK needs (WebCrypto, IndexedDB, BroadcastChannel). */
export class ClientUnsupportedBrowser extends TesseraClientError {
  constructor(message: string) {
    super('ERR_CLIENT_UNSUPPORTED_BROWSER', message)
    this.name = 'ClientUnsupportedBrowser'
  }
}

/** Every code the SDK uses; stable, never reused. */
export type ClientErrorCode =
  | 'ERR_CLIENT_OPTION_INVALID'
  | 'ERR_CLIENT_DISCOVERY_FAILED'
  | 'ERR_CLIENT_REDIRECT_INVALID'
  | 'ERR_CLIENT_ID_TOKEN_INVALID'
  | 'ERR_CLIENT_TOKEN_REQUEST_FAILED'
  | 'ERR_CLIENT_NETWORK'
  | 'ERR_CLIENT_NOT_SIGNED_IN'
  | 'ERR_CLIENT_UNSUPPORTED_BROWSER'
