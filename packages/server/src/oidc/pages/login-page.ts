/**
 * @module The login page: a form with `username` and `password` that posts to /authorize/login with the
 * sealed pending request and its CSRF token. `login_hint` fills in the username (escaped, like every
 * value on the page).
 */
import { escapeHtml, interactionFields, layout } from './html.js'
import { fill, type Locale, MESSAGES } from './messages.js'

export interface LoginPageInput {
  locale: Locale
  clientName: string
  sealed: string
  csrf: string
  username: string | null
  failure?: { reason: 'credentials' } | { reason: 'throttled'; retryAfter: number }
}

export function loginPage(input: LoginPageInput): string {
  const t = MESSAGES[input.locale]
  const failure =
    input.failure === undefined
      ? ''
      : `<p class="error" role="alert">${escapeHtml(
          input.failure.reason === 'throttled'
            ? fill(t.throttled, { seconds: String(input.failure.retryAfter) })
            : t.wrongCredentials,
        )}</p>\n`
  const username = input.username === null ? '' : ` value="${escapeHtml(input.username)}"`
  const body = `<p>${fill(escapeHtml(t.signInLead), { client: `<strong>${escapeHtml(input.clientName)}</strong>` })}</p>
${failure}<form method="post" action="/authorize/login">
${interactionFields(input.sealed, input.csrf)}
<label for="username">${escapeHtml(t.username)}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="256" required${username}${input.username === null ? ' autofocus' : ''}>
<label for="password">${escapeHtml(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required${input.username === null ? '' : ' autofocus'}>
<div class="actions"><button class="primary" type="submit">${escapeHtml(t.signIn)}</button></div>
</form>`
  return layout(input.locale, t.signInTitle, body)
}
