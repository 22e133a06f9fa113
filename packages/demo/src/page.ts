/**
 * @module The one HTML page both demo apps render: who is signed in (or why not), the decoded ID token
 * and userinfo, and the buttons — escaped throughout, no script, no third-party resource.
 */
import type { LocalSession } from './local-sessions.js'

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface PageInput {
  app: string
  accent: string
  /** What this app is built on, one line. */
  about: string
  session: LocalSession
  /** The other demo app's URL, so a person can try single sign-on. */
  otherApp?: { name: string; url: string }
  /** A line about the last check against the provider (Photos refreshes on every view). */
  check?: string
}

const json = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2))

function signedInBody(input: PageInput): string {
  const user = input.session.user!
  const csrf = escapeHtml(input.session.csrf)
  return `
<p class="state" data-state="signed-in">Signed in as <strong data-user>${escapeHtml(user.displayName)}</strong>
 (sub <code>${escapeHtml(user.sub)}</code>, provider session <code data-sid>${escapeHtml(user.sid ?? 'none')}</code>)</p>
${input.check ? `<p class="check">${escapeHtml(input.check)}</p>` : ''}
<form method="post" action="/refresh"><input type="hidden" name="csrf" value="${csrf}">
<button name="refresh" value="1">Refresh tokens</button></form>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${csrf}">
<button name="logout" value="1">Sign out everywhere</button></form>
<h2>ID token claims</h2><pre data-id-token>${json(user.idTokenClaims)}</pre>
<h2>Userinfo</h2><pre data-userinfo>${json(user.userinfo)}</pre>
<p class="small">Signed in ${new Date(user.signedInAt).toISOString()}${
    user.refreshedAt ? `, tokens refreshed ${new Date(user.refreshedAt).toISOString()}` : ''
  }; refresh token ${user.refreshToken ? 'held' : 'not issued'}.</p>`
}

function signedOutBody(input: PageInput): string {
  return `
<p class="state" data-state="signed-out">Signed out.</p>
${input.session.notice ? `<p class="notice" data-notice>${escapeHtml(input.session.notice)}</p>` : ''}
<p><a class="button" href="/login" data-sign-in>Sign in with Tessera</a></p>`
}

export function renderPage(input: PageInput): string {
  const other = input.otherApp
    ? `<p class="small">Also try <a href="${escapeHtml(input.otherApp.url)}">${escapeHtml(input.otherApp.name)}</a>: once signed in here, it signs you in without a password.</p>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.app)} — Tessera demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{color:${input.accent};margin-bottom:.2rem}h2{font-size:1rem;margin-top:1.5rem}
pre{background:#f4f5f8;padding:.8rem;overflow:auto;font-size:.85rem;border-radius:6px}
form{display:inline-block;margin-right:.5rem}
button,.button{background:${input.accent};color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}
.notice{background:#fff4d6;padding:.5rem .8rem;border-radius:6px}.small{color:#5b6475;font-size:.875rem}
</style></head>
<body><h1>${escapeHtml(input.app)}</h1><p class="small">${escapeHtml(input.about)}</p>
${input.session.user ? signedInBody(input) : signedOutBody(input)}
${other}
</body></html>`
}

/** A page for a failed sign-in: what went wrong, in words, and the way back. */
export function renderError(app: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(app)} — sign-in failed</title></head>
<body><h1>${escapeHtml(app)}</h1><p data-error>${escapeHtml(message)}</p><p><a href="/">Back</a></p></body></html>`
}
