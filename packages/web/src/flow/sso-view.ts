/**
 * @module The flow page's single-sign-on section: links to the two demo apps, the button that signs the
 * page in through the provider as its own public client, the timeline of what came back, and the Photos
 * tabs sharing one refresh (sso-tabs.ts).
 */
import { h, replaceChildren } from '../dom.js'
import { bindText, onLangChange, t, tx } from '../i18n/index.js'
import { fetchSsoDemo, type SsoDemo, SsoFlow } from './sso-flow.js'
import { SsoTabs } from './sso-tabs.js'
import { Timeline } from './timeline.js'

function renderApps(target: HTMLElement, demo: SsoDemo | undefined, served: boolean): void {
  if (!served) {
    replaceChildren(target, h('p', { id: 'sso-unavailable', class: 'muted' }, t('sso.unavailable')))
    return
  }
  const apps = demo?.apps ?? []
  replaceChildren(
    target,
    apps.length === 0
      ? h('p', { class: 'muted' }, t('sso.noApps'))
      : h(
          'ul',
          { class: 'sso-apps' },
          ...apps.map((app) =>
            h(
              'li',
              null,
              h('a', { href: `${app.url}/`, 'data-app': app.client_id, rel: 'noopener' }, app.name),
              ' ',
              h('code', null, app.url),
              ' — ',
              t(app.type === 'confidential' ? 'sso.confidential' : 'sso.public'),
              app.backchannel_logout_uri ? ` · ${t('sso.backchannel')}` : '',
            ),
          ),
        ),
    location.hostname === 'localhost'
      ? h(
          'p',
          { class: 'hint', id: 'sso-loopback-hint' },
          t('sso.loopbackHint'),
          ' ',
          h('a', { href: `http://127.0.0.1:${location.port}/` }, `http://127.0.0.1:${location.port}/`),
        )
      : null,
  )
}

export function mountSso(): { element: HTMLElement; cleanup: () => void } {
  const timeline = new Timeline('sso-timeline')
  const apps = h('div', { id: 'sso-app-links' })
  let demo: SsoDemo | undefined
  let served = true
  const tabs = new SsoTabs()
  const showApps = () => {
    renderApps(apps, demo, served)
    const photos = demo?.apps.find((app) => app.client_id === 'photos' && app.url !== '')
    tabs.setPhotos(photos?.url)
  }
  const flow = new SsoFlow(timeline, (next) => {
    if (next) demo = next
    showApps()
  })
  const start = h(
    'button',
    { type: 'button', id: 'sso-start', class: 'primary', onclick: () => void flow.start() },
    tx('sso.start'),
  )

  const element = h(
    'section',
    { class: 'panel', id: 'sso-section', 'aria-labelledby': 'sso-title' },
    h('h2', { id: 'sso-title' }, tx('sso.title')),
    bindText(h('p', { class: 'hint' }), 'sso.hint'),
    apps,
    h('div', { class: 'actions' }, start),
    timeline.element,
    tabs.element,
  )

  const unsubscribe = onLangChange(() => {
    timeline.render()
    tabs.render()
    showApps()
  })
  void (async () => {
    const resumed = await flow.resume()
    if (resumed) {
      element.scrollIntoView()
      return
    }
    const { exchange, demo: loaded } = await fetchSsoDemo()
    served = exchange.status === 200
    demo = loaded
    start.disabled = !served || loaded?.client.registered !== true
    showApps()
    if (loaded) flow.showExisting(loaded)
  })()
  return {
    element,
    cleanup: () => {
      unsubscribe()
      tabs.close()
    },
  }
}
