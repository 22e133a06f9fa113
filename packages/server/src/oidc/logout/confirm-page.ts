/**
 * @module The logout pages, in the sign-in pages' look (oidc/pages): "sign out of Tessera?" when nothing
 * proves the request comes from the session's own relying party (a bare link must not sign anyone out:
 * logout CSRF), and "you are signed out" when there is nowhere to go back to. English and Korean.
 */
import { escapeHtml, layout } from '../pages/html.js'
import type { Locale } from '../pages/messages.js'

const WORDS: Record<
  Locale,
  Record<'confirmTitle' | 'confirmLead' | 'yes' | 'no' | 'doneTitle' | 'doneLead', string>
> = {
  en: {
    confirmTitle: 'Sign out?',
    confirmLead:
      'Sign out of Tessera on this browser? Every site you signed in to with it is signed out too.',
    yes: 'Sign out',
    no: 'Stay signed in',
    doneTitle: 'Signed out',
    doneLead: 'You are signed out of Tessera. You can close this page.',
  },
  ko: {
    confirmTitle: '로그아웃할까요?',
    confirmLead:
      '이 브라우저에서 Tessera 로그아웃을 할까요? Tessera로 로그인한 모든 사이트에서도 로그아웃됩니다.',
    yes: '로그아웃',
    no: '로그인 유지',
    doneTitle: '로그아웃됨',
    doneLead: 'Tessera에서 로그아웃되었습니다. 이 페이지를 닫아도 됩니다.',
  },
}

export interface ConfirmPageInput {
  locale: Locale
  csrf: string
  /** The request's own parameters, posted back unchanged. */
  fields: Record<string, string | undefined>
}

export function confirmLogoutPage(input: ConfirmPageInput): string {
  const t = WORDS[input.locale]
  const hidden = Object.entries(input.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
  const body = `<p>${escapeHtml(t.confirmLead)}</p>
<form method="post" action="/logout">
${hidden}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrf)}">
<div class="actions">
<button class="primary" type="submit" name="logout" value="yes">${escapeHtml(t.yes)}</button>
<button type="submit" name="logout" value="no">${escapeHtml(t.no)}</button>
</div>
</form>`
  return layout(input.locale, t.confirmTitle, body)
}

export function signedOutPage(locale: Locale): string {
  const t = WORDS[locale]
  return layout(locale, t.doneTitle, `<p>${escapeHtml(t.doneLead)}</p>`)
}
