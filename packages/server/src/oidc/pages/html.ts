/**
 * @module Server-rendered HTML for the sign-in pages: escaping (every value from a request, a client
 * registration or a user record goes through `escapeHtml`), the shared layout, and the headers that keep
 * the pages from being framed (clickjacking: CSP `frame-ancestors 'none'` and X-Frame-Options DENY),
 * from loading anything but our own stylesheet, and from being cached.
 */
import type { Locale } from './messages.js'

/** Where the pages' stylesheet is served. */
export const STYLESHEET_PATH = '/authorize/pages.css'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text or attribute value → HTML (both quote kinds escaped, so it is safe in either attribute). */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!)

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  // No form-action: browsers apply it to the redirect after a post, which goes to the client.
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  // The page's URL holds the whole request (state, nonce): no Referer carries it elsewhere.
  'referrer-policy': 'no-referrer',
}

/** A whole page; `body` must already be HTML (built from escaped values). */
export function layout(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Tessera</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header class="site-header"><span class="brand">Tessera</span></header>
<main id="main">
<section class="panel sign-in">
<h1>${escapeHtml(title)}</h1>
${body}
</section>
</main>
</body>
</html>
`
}

/** The hidden fields every form of an interaction posts back. */
export function interactionFields(sealed: string, csrf: string): string {
  return `<input type="hidden" name="interaction" value="${escapeHtml(sealed)}">
<input type="hidden" name="csrf_token" value="${escapeHtml(csrf)}">`
}
