/**
 * @module The flow demo page: the demo user's login form, the token-mode and session-mode timelines,
 * and the measured comparison.
 */
import { h } from '../dom.js'
import { bindText, onLangChange, tx } from '../i18n/index.js'
import { type CompareState, fetchCompare, renderCompare } from './compare-view.js'
import { SessionFlow } from './session-flow.js'
import { mountSso } from './sso-view.js'
import { Timeline } from './timeline.js'
import { TokenFlow } from './token-flow.js'

export function mountFlow(outlet: HTMLElement): () => void {
  const username = h('input', {
    id: 'demo-username',
    name: 'username',
    autocomplete: 'username',
    value: 'demo',
    required: true,
  })
  const password = h('input', {
    id: 'demo-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'demo-password-hint',
  })
  const credentials = () => ({ username: username.value, password: password.value })

  const tokenTimeline = new Timeline('token-timeline')
  const sessionTimeline = new Timeline('session-timeline')
  const tokenFlow = new TokenFlow(tokenTimeline, credentials)
  const sessionFlow = new SessionFlow(sessionTimeline, credentials)

  const compare = h('div', { id: 'compare-view', 'aria-live': 'polite' })
  let compareState: CompareState = { kind: 'idle' }
  const showCompare = (state: CompareState) => {
    compareState = state
    renderCompare(compare, compareState)
  }
  async function loadCompare() {
    showCompare({ kind: 'loading' })
    showCompare(await fetchCompare())
  }

  const form = h(
    'form',
    { class: 'panel login-form', id: 'demo-login', 'aria-labelledby': 'demo-login-title' },
    h('h2', { id: 'demo-login-title' }, tx('flow.loginTitle')),
    h(
      'div',
      { class: 'two-up' },
      h('div', null, h('label', { for: 'demo-username' }, tx('flow.username')), username),
      h('div', null, h('label', { for: 'demo-password' }, tx('flow.password')), password),
    ),
    bindText(h('p', { id: 'demo-password-hint', class: 'hint' }), 'flow.passwordHint'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', id: 'run-token-flow', class: 'primary' }, tx('flow.runToken')),
      h(
        'button',
        {
          type: 'button',
          id: 'run-session-flow',
          onclick: () => form.reportValidity() && void sessionFlow.start(),
        },
        tx('flow.runSession'),
      ),
    ),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void tokenFlow.start()
  })

  const rerender = () => {
    tokenTimeline.render()
    sessionTimeline.render()
    renderCompare(compare, compareState)
  }
  const unsubscribe = onLangChange(rerender)
  const sso = mountSso()

  outlet.append(
    h(
      'div',
      { class: 'page flow-page' },
      h('h1', null, tx('flow.title')),
      bindText(h('p', { class: 'lead' }), 'flow.intro'),
      form,
      h(
        'div',
        { class: 'columns' },
        h(
          'section',
          { class: 'column', 'aria-labelledby': 'token-mode-title' },
          h('h2', { id: 'token-mode-title' }, tx('flow.tokenMode')),
          bindText(h('p', { class: 'hint' }), 'flow.tokenModeHint'),
          tokenTimeline.element,
        ),
        h(
          'section',
          { class: 'column', 'aria-labelledby': 'session-mode-title' },
          h('h2', { id: 'session-mode-title' }, tx('flow.sessionMode')),
          bindText(h('p', { class: 'hint' }), 'flow.sessionModeHint'),
          sessionTimeline.element,
        ),
      ),
      sso.element,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'compare-title', id: 'compare-section' },
        h('h2', { id: 'compare-title' }, tx('compare.title')),
        bindText(h('p', { class: 'hint' }), 'compare.hint'),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', id: 'compare-reload', onclick: () => void loadCompare() },
            tx('compare.reload'),
          ),
        ),
        compare,
      ),
    ),
  )
  void loadCompare()

  return () => {
    tokenFlow.stop()
    unsubscribe()
    sso.cleanup()
  }
}
