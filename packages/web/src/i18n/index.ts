/**
 * @module Message lookup and the language switch. Static text is tagged with `data-i18n` and rewritten in
 * place on a switch; views that render dynamic text subscribe with `onLangChange`.
 */
import { en, type MessageKey } from './en.js'
import { ko } from './ko.js'

export type { MessageKey }
export type Lang = 'en' | 'ko'
export type Params = Record<string, string | number>

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, ko }
const STORAGE_KEY = 'tessera.lang'
const listeners = new Set<() => void>()

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY)
    if (stored === 'en' || stored === 'ko') return stored
  } catch {
    // Storage can be disabled (private mode, file://): fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en'
}

let current: Lang = initialLang()

export function getLang(): Lang {
  return current
}

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Params): string {
  const template = catalogues[current][key] ?? en[key]
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/** A span whose text follows the language. */
export function tx(key: MessageKey, params?: Params): HTMLSpanElement {
  const span = document.createElement('span')
  bindText(span, key, params)
  return span
}

/** Makes an existing element's text follow the language. */
export function bindText<E extends HTMLElement>(element: E, key: MessageKey, params?: Params): E {
  element.dataset.i18n = key
  if (params) element.dataset.i18nParams = JSON.stringify(params)
  else delete element.dataset.i18nParams
  element.textContent = t(key, params)
  return element
}

/** Makes an attribute (title, placeholder, aria-label) follow the language. */
export function bindAttr<E extends Element>(element: E, attribute: string, key: MessageKey): E {
  const el = element as unknown as HTMLElement
  const pairs = (el.dataset.i18nAttr ?? '')
    .split(';')
    .filter((pair) => pair && !pair.startsWith(`${attribute}:`))
  pairs.push(`${attribute}:${key}`)
  el.dataset.i18nAttr = pairs.join(';')
  element.setAttribute(attribute, t(key))
  return element
}

/** Rewrites every tagged text and attribute under `root` in the current language. */
export function applyI18n(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const params = el.dataset.i18nParams ? (JSON.parse(el.dataset.i18nParams) as Params) : undefined
    el.textContent = t(el.dataset.i18n as MessageKey, params)
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(';')) {
      const [attribute, key] = pair.split(':')
      if (attribute && key) el.setAttribute(attribute, t(key as MessageKey))
    }
  }
}

export function setLang(lang: Lang): void {
  current = lang
  document.documentElement.lang = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // Not persisted; the switch still applies to this page.
  }
  applyI18n(document)
  for (const listener of listeners) listener()
}

/** Calls `listener` after every language switch; returns the unsubscribe function. */
export function onLangChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
