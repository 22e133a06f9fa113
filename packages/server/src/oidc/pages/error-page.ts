/**
 * @module The page shown instead of a redirect when the client or its redirect_uri cannot be trusted
 * (or a sign-in form is forged or stale): it says why and stops there (RFC 6749 §4.1.2.1).
 */
import { escapeHtml, layout } from './html.js'
import { type Locale, MESSAGES } from './messages.js'

export interface ErrorPageInput {
  locale: Locale
  /** OAuth error (e.g. invalid_request). */
  error: string
  /** Stable code, e.g. ERR_AUTHORIZE_REDIRECT_URI. */
  code: string
  /** What was wrong and what to do (English: it is written for the developer of the client). */
  message: string
}

export function errorPage(input: ErrorPageInput): string {
  const t = MESSAGES[input.locale]
  const body = `<p>${escapeHtml(t.errorLead)}</p>
<p class="error" role="alert">${escapeHtml(input.message)}</p>
<p class="muted">${escapeHtml(t.errorCode)}: <code>${escapeHtml(input.error)}</code> · <code>${escapeHtml(input.code)}</code></p>`
  return layout(input.locale, t.errorTitle, body)
}
