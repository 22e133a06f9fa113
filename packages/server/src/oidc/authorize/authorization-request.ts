/**
 * @module The shape of a validated authorization request: what `/authorize` checked once and the login,
 * consent and code steps use without checking again.
 */

export type Prompt = 'none' | 'login' | 'consent' | 'select_account'

export interface AuthorizationRequest {
  clientId: string
  /** Exactly as sent (and matched against the registered list); the code is bound to it. */
  redirectUri: string
  /** Space-separated, each scope once, in the order asked. */
  scope: string
  state: string | null
  nonce: string | null
  /** S256 only. */
  codeChallenge: string
  prompt: Prompt[]
  /** Seconds, or null. */
  maxAge: number | null
  loginHint: string | null
  idTokenHint: string | null
  /** As sent (BCP 47 tags), most preferred first. */
  uiLocales: string[]
  /** Recorded, never acted on (only `pwd` is offered). */
  acrValues: string | null
  /** RFC 8707 resource indicator (an absolute URI without fragment). */
  resource: string | null
  /** RFC 9449 §10: the DPoP key thumbprint the code is bound to. */
  dpopJkt: string | null
}
