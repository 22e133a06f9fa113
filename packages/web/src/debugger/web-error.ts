/**
 * @module The page's own failures (a key box left empty, JSON that does not parse), with stable codes
 * like the library's, so the result view maps every failure to a catalogue message the same way.
 */

export type WebErrorCode =
  | 'ERR_WEB_NO_TOKEN'
  | 'ERR_WEB_NOT_JWS'
  | 'ERR_WEB_NOT_JWE'
  | 'ERR_WEB_KEY_EMPTY'
  | 'ERR_WEB_KEY_JSON'
  | 'ERR_WEB_BASE64URL'
  | 'ERR_WEB_ALG_NONE'
  | 'ERR_WEB_JWKS_URL'
  | 'ERR_WEB_JWKS_VERIFY_ONLY'
  | 'ERR_WEB_NEED_ONE_KEY'
  | 'ERR_WEB_HEADER_JSON'
  | 'ERR_WEB_PAYLOAD_JSON'
  | 'ERR_WEB_ALG_MISSING'

export class WebError extends Error {
  readonly code: WebErrorCode
  constructor(code: WebErrorCode, message: string) {
    super(message)
    this.name = 'WebError'
    this.code = code
  }
}
