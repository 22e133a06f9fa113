/**
 * @module A tiny history router for the two pages, `/` and `/debugger`. The server serves
 * `dist/index.html` at `/` and `dist/debugger/index.html` at `/debugger/`; both load this same script.
 */

import type { MessageKey } from './i18n/en.js'
import { onLangChange, t } from './i18n/index.js'

export interface Route {
  path: string
  /** The page's name in the tab title ("JWT debugger · Tessera"). */
  title: MessageKey
  /** Renders into `outlet`; returns a cleanup function called when the route is left. */
  mount(outlet: HTMLElement): () => void
}

let routes: Route[] = []
let outlet: HTMLElement | undefined
let cleanup: (() => void) | undefined
const listeners = new Set<(path: string) => void>()

/** `/debugger/` and `/debugger` are the same page; unknown paths fall back to `/`. */
export function normalizePath(pathname: string): string {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  return routes.some((route) => route.path === trimmed) ? trimmed : '/'
}

function render(): void {
  if (!outlet) return
  const path = normalizePath(location.pathname)
  const route = routes.find((candidate) => candidate.path === path) ?? routes[0]
  cleanup?.()
  outlet.replaceChildren()
  cleanup = route?.mount(outlet)
  setTitle()
  for (const listener of listeners) listener(path)
}

export function navigate(path: string): void {
  if (normalizePath(location.pathname) === path) return
  history.pushState(null, '', path)
  render()
  outlet?.focus()
}

export function onRouteChange(listener: (path: string) => void): void {
  listeners.add(listener)
}

export function currentPath(): string {
  return normalizePath(location.pathname)
}

function setTitle(): void {
  const route = routes.find((candidate) => candidate.path === normalizePath(location.pathname))
  document.title = route ? `${t(route.title)} · Tessera` : 'Tessera'
}

/** Starts routing: intercepts same-origin clicks on `a[data-route]`, follows back/forward. */
export function startRouter(target: HTMLElement, table: Route[]): void {
  routes = table
  outlet = target
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a[data-route]')
    if (!(anchor instanceof HTMLAnchorElement)) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(new URL(anchor.href).pathname)
  })
  addEventListener('popstate', render)
  onLangChange(setTitle)
  render()
}
