/**
 * @module The refusals of `/authorize`: one class whose `code` is stable and whose `error` is the OAuth
 * one (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). `redirect` says whether the refusal may be sent to the
 * client's redirect_uri: never while the client or that URI is unproven (RFC 6749 §4.1.2.1, RFC 9700
 * §4.11 open redirectors), so those become an error page instead. The codes, their `error` and which are
 * page-only are the server's registry (errors.ts `AUTHORIZE_ERRORS`).
 */
import { AUTHORIZE_ERRORS, type AuthorizeErrorCode } from '../../errors.js'

export type { AuthorizeErrorCode }

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
    this.error = options.error ?? AUTHORIZE_ERRORS[code].oauthError
    this.redirect = !(options.page === true || AUTHORIZE_ERRORS[code].page)
  }
}
