/**
 * @module The consent page: names the client and each scope asked for (in words, with the scope's own
 * name beside it), and posts `consent=allow` or `consent=deny` to /authorize/consent.
 */
import { escapeHtml, interactionFields, layout } from './html.js'
import { fill, type Locale, MESSAGES } from './messages.js'

export interface ConsentPageInput {
  locale: Locale
  clientName: string
  username: string
  scope: string
  sealed: string
  csrf: string
}

export function consentPage(input: ConsentPageInput): string {
  const t = MESSAGES[input.locale]
  const scopes = input.scope
    .split(' ')
    .map((scope) => {
      const words = t.scopes[scope]
      return words === undefined
        ? `<li><code>${escapeHtml(scope)}</code></li>`
        : `<li>${escapeHtml(words)} <code>${escapeHtml(scope)}</code></li>`
    })
    .join('\n')
  const client = `<strong>${escapeHtml(input.clientName)}</strong>`
  const body = `<p>${fill(escapeHtml(t.consentLead), { client })}</p>
<ul class="scopes">
${scopes}
</ul>
<p class="muted">${fill(escapeHtml(t.signedInAs), { user: `<strong>${escapeHtml(input.username)}</strong>` })}</p>
<form method="post" action="/authorize/consent">
${interactionFields(input.sealed, input.csrf)}
<div class="actions">
<button class="primary" type="submit" name="consent" value="allow">${escapeHtml(t.allow)}</button>
<button type="submit" name="consent" value="deny">${escapeHtml(t.deny)}</button>
</div>
</form>`
  return layout(input.locale, t.consentTitle, body)
}
