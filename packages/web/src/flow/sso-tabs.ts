/**
 * @module The single-sign-on view's two-tab panel: opens Photos (the single-page app on @tessera/client)
 * in tabs of its own, and shows, live, what each tab reports back — its access token's expiry, who
 * refreshed — so the one refresh the tabs share (Web Lock, tokens handed over on BroadcastChannel) is seen.
 * A tab reports by `postMessage` to this page (its opener); only messages from the Photos origin count, and
 * they carry times and names, never a token.
 */
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { getLang, type Params, t, tx } from '../i18n/index.js'

/** What a Photos tab says (photos-spa's tab-report.ts writes it): only the fields this page reads. */
type Report = { tab: string; kind: string; expiresAt?: number; by?: string; at: number }

interface TabState {
  name: string
  signedIn: boolean
  expiresAt: number | undefined
  refreshed: number
  received: number
}

/** The report in a message, or undefined for anything else that arrives on this window. */
function readReport(data: unknown): Report | undefined {
  const r = data as Record<string, unknown> | null
  if (typeof r !== 'object' || r === null || r.source !== 'tessera-photos') return undefined
  if (typeof r.tab !== 'string' || typeof r.kind !== 'string' || typeof r.at !== 'number') return undefined
  return {
    tab: r.tab.slice(0, 40),
    kind: r.kind,
    at: r.at,
    ...(typeof r.expiresAt === 'number' ? { expiresAt: r.expiresAt } : {}),
    ...(typeof r.by === 'string' ? { by: r.by } : {}),
  }
}

const clock = (ms: number | undefined) => (ms ? new Date(ms).toLocaleTimeString(getLang()) : '—')

export class SsoTabs {
  readonly element: HTMLElement
  readonly #tabs = new Map<string, TabState>()
  /** What happened, kept as message keys so a language change re-renders it. */
  readonly #log: { key: MessageKey; params: Params }[] = []
  readonly #body = h('div', { id: 'sso-tabs-state' })
  readonly #open: HTMLButtonElement
  #photos: string | undefined
  #opened = 0

  constructor() {
    this.#open = h(
      'button',
      { type: 'button', id: 'sso-tabs-open', disabled: true, onclick: () => this.#openTab() },
      tx('sso.tabsOpen'),
    )
    this.element = h(
      'div',
      { id: 'sso-tabs' },
      h('h3', null, tx('sso.tabsTitle')),
      h('p', { class: 'hint' }, tx('sso.tabsHint')),
      h('div', { class: 'actions' }, this.#open),
      this.#body,
    )
    window.addEventListener('message', this.#onMessage)
    this.render()
  }

  /** The Photos app's origin (from the demo's app list), or undefined when it is not registered. */
  setPhotos(origin: string | undefined): void {
    this.#photos = origin
    this.#open.disabled = origin === undefined
  }

  close(): void {
    window.removeEventListener('message', this.#onMessage)
  }

  #openTab(): void {
    if (!this.#photos) return
    this.#opened += 1
    // A named window without noopener: the tab can tell its opener (this page) what it does.
    window.open(`${this.#photos}/`, `photos-tab-${this.#opened}`)
  }

  readonly #onMessage = (event: MessageEvent): void => {
    const report = this.#photos && event.origin === this.#photos ? readReport(event.data) : undefined
    if (!report) return
    const tab = this.#tabs.get(report.tab) ?? {
      name: report.tab,
      signedIn: false,
      expiresAt: undefined,
      refreshed: 0,
      received: 0,
    }
    this.#tabs.set(report.tab, tab)
    if (report.expiresAt) tab.expiresAt = report.expiresAt
    if (report.kind === 'signedIn' || report.kind === 'ready') tab.signedIn = report.expiresAt !== undefined
    if (report.kind === 'signedOut') {
      tab.signedIn = false
      tab.expiresAt = undefined
    }
    if (report.kind === 'tokenRefreshed') {
      if (report.by === 'this-tab') tab.refreshed += 1
      else tab.received += 1
      this.#log.push({
        key: report.by === 'this-tab' ? 'sso.tabsRefreshed' : 'sso.tabsReceived',
        params: { time: clock(report.at), tab: tab.name },
      })
    }
    this.render()
  }

  render(): void {
    const tabs = [...this.#tabs.values()]
    const refreshes = tabs.reduce((sum, tab) => sum + tab.refreshed, 0)
    const handed = tabs.reduce((sum, tab) => sum + tab.received, 0)
    replaceChildren(
      this.#body,
      tabs.length === 0
        ? h('p', { class: 'muted' }, t('sso.tabsNone'))
        : h(
            'table',
            null,
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', null, t('sso.tabsTab')),
                h('th', null, t('sso.tabsState')),
                h('th', null, t('sso.tabsExpires')),
                h('th', null, t('sso.tabsRefreshedCount')),
                h('th', null, t('sso.tabsReceivedCount')),
              ),
            ),
            h(
              'tbody',
              null,
              ...tabs.map((tab) =>
                h(
                  'tr',
                  { 'data-tab': tab.name, 'data-expires': tab.expiresAt ?? '' },
                  h('td', null, tab.name),
                  h('td', null, t(tab.signedIn ? 'sso.tabsSignedIn' : 'sso.tabsSignedOut')),
                  h('td', null, clock(tab.expiresAt)),
                  h('td', { 'data-refreshed': tab.refreshed }, String(tab.refreshed)),
                  h('td', { 'data-received': tab.received }, String(tab.received)),
                ),
              ),
            ),
          ),
      tabs.length === 0
        ? null
        : h(
            'p',
            { id: 'sso-tabs-summary', 'data-refreshes': refreshes, 'data-handed': handed },
            t('sso.tabsSummary', { refreshes, handed, tabs: tabs.length }),
          ),
      this.#log.length === 0
        ? null
        : h(
            'ol',
            { id: 'sso-tabs-log' },
            ...this.#log.map((line) => h('li', null, t(line.key, line.params))),
          ),
    )
  }
}
