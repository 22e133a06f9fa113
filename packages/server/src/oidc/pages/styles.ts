/**
 * @module The sign-in pages' stylesheet: the colours, fonts and controls of packages/web's styles.css
 * (same custom properties, same WCAG AA pairs), cut to what a login or consent form uses. Served by the
 * server itself (CSP `default-src 'self'`), with system fonts only: no third-party resource.
 */
export const PAGES_CSS = `:root {
  --fg: #1b1f24;
  --muted: #4a5560;
  --bg: #ffffff;
  --panel: #f5f7f9;
  --border: #c4ccd4;
  --accent: #0b5cad;
  --focus: #f0a500;
  --err-bg: #fdecea;
  --err-fg: #8a1c12;
  --info-bg: #e8f0fb;
  --info-fg: #123d6b;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "D2Coding", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Apple SD Gothic Neo", "Malgun Gothic",
    "Noto Sans KR", "NanumGothic", sans-serif;
}
* { box-sizing: border-box; }
html { color: var(--fg); background: var(--bg); font-family: var(--sans); line-height: 1.5; }
body { margin: 0; }
h1 { font-size: 1.5rem; margin: 0.2rem 0 0.6rem; }
code { font-family: var(--mono); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.site-header { display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1.2rem;
  border-bottom: 1px solid var(--border); background: var(--panel); }
.brand { font-weight: 700; font-size: 1.2rem; color: var(--fg); }
main { padding: 2rem 1.2rem; max-width: 28rem; margin: 0 auto; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.2rem; }
label { display: block; font-weight: 600; margin: 0.6rem 0 0.2rem; }
input { font: inherit; width: 100%; padding: 0.4rem; border: 1px solid #6b7785; border-radius: 6px;
  background: #fff; color: var(--fg); }
button { font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid #6b7785;
  background: #fff; color: var(--fg); cursor: pointer; }
button:hover { background: #eef2f6; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover { background: #084a8c; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 1rem 0 0.2rem; }
.muted { color: var(--muted); font-size: 0.92rem; margin: 0.3rem 0; }
.notice { background: var(--info-bg); color: var(--info-fg); border-left: 4px solid var(--info-fg);
  padding: 0.6rem 0.9rem; border-radius: 4px; }
.error { background: var(--err-bg); color: var(--err-fg); border-left: 4px solid var(--err-fg);
  padding: 0.6rem 0.9rem; border-radius: 4px; }
.scopes { margin: 0.4rem 0; padding-left: 1.2rem; }
.scopes code { color: var(--muted); font-size: 0.85rem; }
`
