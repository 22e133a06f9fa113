/**
 * @module The page frame: skip link, header with navigation and the language switch, main outlet and
 * the privacy footer.
 */
import { h } from './dom.js'
import { bindAttr, getLang, type Lang, onLangChange, setLang, tx } from './i18n/index.js'
import { currentPath, onRouteChange } from './router.js'

const LANGS: Array<{ lang: Lang; label: string }> = [
  { lang: 'en', label: 'English' },
  { lang: 'ko', label: '한국어' },
]

function navLink(path: string, key: 'nav.flow' | 'nav.debugger'): HTMLAnchorElement {
  return h('a', { href: path, 'data-route': '', class: 'nav-link' }, tx(key))
}

function languageSwitch(): HTMLElement {
  const buttons = LANGS.map(({ lang, label }) =>
    // Each name is written in its own language (and tagged so screen readers pronounce it right).
    h(
      'button',
      { type: 'button', lang, class: 'lang-button', 'data-lang': lang, onclick: () => setLang(lang) },
      label,
    ),
  )
  const sync = () => {
    for (const button of buttons)
      button.setAttribute('aria-pressed', String(button.dataset.lang === getLang()))
  }
  sync()
  onLangChange(sync)
  const group = h('div', { class: 'lang-switch', role: 'group', id: 'lang-switch' }, ...buttons)
  bindAttr(group, 'aria-label', 'nav.language')
  return group
}

/** Builds the frame and returns the element the router renders into. */
export function mountShell(root: HTMLElement): HTMLElement {
  const links = [navLink('/', 'nav.flow'), navLink('/debugger', 'nav.debugger')]
  const syncLinks = (path: string) => {
    for (const link of links) {
      if (new URL(link.href).pathname === path) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
  }
  onRouteChange(syncLinks)
  syncLinks(currentPath())

  const nav = h('nav', { class: 'site-nav' }, ...links)
  bindAttr(nav, 'aria-label', 'nav.label')
  const main = h('main', { id: 'main', tabindex: '-1' })
  root.replaceChildren(
    h('a', { href: '#main', class: 'skip-link', onclick: skipToMain }, tx('nav.skip')),
    h(
      'header',
      { class: 'site-header' },
      h('a', { href: '/', 'data-route': '', class: 'brand' }, 'Tessera'),
      nav,
      languageSwitch(),
    ),
    main,
    h('footer', { class: 'site-footer' }, h('p', null, tx('footer.privacy'))),
  )
  return main
}

/** The skip link must not write `#main` into the URL: the fragment carries a shared token. */
function skipToMain(event: Event): void {
  event.preventDefault()
  document.getElementById('main')?.focus()
}
