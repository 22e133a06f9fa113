/**
 * @module The words of the sign-in pages in English and Korean, and the choice between them: the
 * request's `ui_locales` first (OIDC Core §3.1.2.1), then the browser's Accept-Language, else English.
 */

export type Locale = 'en' | 'ko'

export interface Messages {
  signInTitle: string
  /** `{client}` is the client's name. */
  signInLead: string
  username: string
  password: string
  signIn: string
  wrongCredentials: string
  /** `{seconds}`. */
  throttled: string
  consentTitle: string
  /** `{client}`, `{user}`. */
  consentLead: string
  allow: string
  deny: string
  signedInAs: string
  errorTitle: string
  errorLead: string
  errorCode: string
  scopes: Record<string, string>
}

const en: Messages = {
  signInTitle: 'Sign in',
  signInLead: 'Sign in to continue to {client}.',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  wrongCredentials: 'The username or password is wrong.',
  throttled: 'Too many attempts. Try again in {seconds} s.',
  consentTitle: 'Allow access?',
  consentLead: '{client} asks to:',
  allow: 'Allow',
  deny: 'Deny',
  signedInAs: 'Signed in as {user}.',
  errorTitle: 'This sign-in request was refused',
  errorLead: 'The application sent a request this server cannot accept, so you were not sent back to it.',
  errorCode: 'Error code',
  scopes: {
    openid: 'Know which account you use here',
    profile: 'See your name and username',
    email: 'See your email address',
    offline_access: 'Stay signed in while you are away (refresh tokens)',
  },
}

const ko: Messages = {
  signInTitle: '로그인',
  signInLead: '{client}(으)로 계속하려면 로그인하세요.',
  username: '사용자 이름',
  password: '비밀번호',
  signIn: '로그인',
  wrongCredentials: '사용자 이름 또는 비밀번호가 올바르지 않습니다.',
  throttled: '시도 횟수가 너무 많습니다. {seconds}초 후에 다시 시도하세요.',
  consentTitle: '접근을 허용할까요?',
  consentLead: '{client}이(가) 다음을 요청합니다:',
  allow: '허용',
  deny: '거부',
  signedInAs: '{user}(으)로 로그인되어 있습니다.',
  errorTitle: '로그인 요청이 거부되었습니다',
  errorLead:
    '애플리케이션이 이 서버가 받아들일 수 없는 요청을 보냈으므로 애플리케이션으로 돌아가지 않았습니다.',
  errorCode: '오류 코드',
  scopes: {
    openid: '이 서버에서 사용하는 계정 확인',
    profile: '이름과 사용자 이름 보기',
    email: '이메일 주소 보기',
    offline_access: '사용하지 않는 동안에도 로그인 유지(리프레시 토큰)',
  },
}

export const MESSAGES: Record<Locale, Messages> = { en, ko }

const asLocale = (tag: string): Locale | undefined => {
  const primary = tag.trim().toLowerCase().split('-')[0]
  return primary === 'en' || primary === 'ko' ? primary : undefined
}

/** `ui_locales` (space-separated, in order of preference), then Accept-Language (by q), then English. */
export function chooseLocale(uiLocales: readonly string[], acceptLanguage: string | undefined): Locale {
  for (const tag of uiLocales) {
    const locale = asLocale(tag)
    if (locale) return locale
  }
  const ranges = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.split(';')
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const weight = q === undefined ? 1 : Number(q.slice(2))
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index }
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
  for (const range of ranges) {
    const locale = asLocale(range.tag)
    if (locale) return locale
  }
  return 'en'
}

/** Replaces `{name}` placeholders; the values are inserted as given (escape them first for HTML). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}
