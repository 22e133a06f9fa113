/**
 * @module The one HTML page of the Photos single-page app: a shell the bundle fills in, its settings in a
 * JSON script element (no inline script, so the Content-Security-Policy allows only the app's own
 * bundle), and the CSP that lets the page talk to its own origin and the provider and nothing else.
 */

/** What the bundle reads from the page (photos-spa.ts parses it). */
export interface PhotosPageConfig {
  issuer: string
  clientId: string
  redirectUri: string
  /** The other demo app, linked from the page. */
  otherApp?: { name: string; url: string }
  /** The flow page's origin: a tab it opened reports its token events there (window.opener). */
  flowOrigin: string
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** JSON that is safe inside a <script> element: no `<` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

export function photosCsp(issuer: string): string {
  const provider = new URL(issuer).origin
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `connect-src 'self' ${provider}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    `form-action 'self' ${provider}`,
    "frame-ancestors 'none'",
  ].join('; ')
}

export function renderPhotosPage(config: PhotosPageConfig, about: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Photos — Tessera demo</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #222 }
h1 { color: #8a3f8f; margin-bottom: .2rem }
.about { color: #555; margin-top: 0 }
.panel { border: 1px solid #ddd; border-radius: 8px; padding: 1rem; margin: 1rem 0 }
button { font: inherit; padding: .35rem .9rem; border-radius: 6px; border: 1px solid #8a3f8f; background: #fff; color: #8a3f8f; cursor: pointer }
button.primary { background: #8a3f8f; color: #fff }
.photos { display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: .6rem; padding: 0; list-style: none }
.photos li { border-radius: 6px; padding: 2.2rem .5rem .5rem; color: #fff; font-weight: 600 }
.events { font: 13px/1.4 ui-monospace, monospace; color: #444; padding-left: 1.2rem }
.notice { background: #fff6d6; border-radius: 6px; padding: .5rem .8rem }
code { font-size: 90% }
</style>
</head>
<body>
<h1>Photos</h1>
<p class="about">${escapeHtml(about)}</p>
<main id="photos-app"><p data-state="loading">Loading…</p></main>
<script type="application/json" id="photos-config">${scriptJson(config)}</script>
<script type="module" src="/photos-spa.js"></script>
</body>
</html>
`
}
