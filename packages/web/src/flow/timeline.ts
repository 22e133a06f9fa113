/**
 * @module The flow timeline: an ordered list of steps, each with its state in words, the HTTP exchange
 * behind it and any token it produced, decoded. Re-rendered as a whole (it is short) on every change.
 */
import { decodeJWT, decodeProtectedHeader } from '@tessera/jose'
import { type Child, h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { t } from '../i18n/index.js'
import type { Params } from '../i18n/types.js'
import { abbreviate, type Exchange } from './api.js'

export type StepState = 'done' | 'failed' | 'waiting' | 'refused' | 'info' | 'unavailable'

export interface StepAction {
  id: string
  label: MessageKey
  run: () => void
}

export interface Step {
  id: string
  title: MessageKey
  state: StepState
  text?: MessageKey
  params?: Params
  exchange?: Exchange
  tokens?: Array<{ label: MessageKey; value: string; jwt: boolean }>
  actions?: StepAction[]
  /** Re-rendered text such as a countdown. */
  live?: () => string
}

const STATE_KEYS: Record<StepState, MessageKey> = {
  done: 'state.done',
  failed: 'state.failed',
  waiting: 'state.waiting',
  refused: 'state.refused',
  info: 'state.info',
  unavailable: 'state.unavailable',
}

function exchangeView(exchange: Exchange): HTMLElement {
  const status = exchange.networkError ? t('flow.networkError') : String(exchange.status)
  return h(
    'details',
    { class: 'exchange' },
    h(
      'summary',
      null,
      h('code', null, `${exchange.method} ${exchange.path}`),
      ' → ',
      h('code', { class: 'status' }, status),
    ),
    Object.keys(exchange.sentHeaders ?? {}).length > 0
      ? h(
          'pre',
          { class: 'json' },
          Object.entries(exchange.sentHeaders!)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        )
      : null,
    exchange.sent !== undefined ? h('pre', { class: 'json' }, JSON.stringify(exchange.sent, null, 2)) : null,
    h('p', { class: 'muted' }, t('flow.response')),
    h(
      'pre',
      { class: 'json' },
      typeof exchange.body === 'string'
        ? exchange.body.slice(0, 500)
        : JSON.stringify(exchangeBody(exchange.body), null, 2),
    ),
  )
}

/** Long credentials in a response are abbreviated; the decoded view below shows what they carry. */
function exchangeBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' && /token/.test(k) ? abbreviate(v) : v,
    ]),
  )
}

function tokenView(label: MessageKey, value: string, jwt: boolean): HTMLElement {
  let decoded: Child = h('p', { class: 'muted' }, t('flow.opaque'))
  if (jwt) {
    try {
      decoded = h(
        'div',
        { class: 'two-up' },
        h('pre', { class: 'json part-header-box' }, JSON.stringify(decodeProtectedHeader(value), null, 2)),
        h('pre', { class: 'json part-payload-box' }, JSON.stringify(decodeJWT(value), null, 2)),
      )
    } catch {
      decoded = h('p', { class: 'muted' }, t('flow.undecodable'))
    }
  }
  return h(
    'div',
    { class: 'token-view' },
    h('p', null, h('strong', null, t(label)), ' ', h('code', { class: 'abbrev' }, abbreviate(value))),
    decoded,
  )
}

export class Timeline {
  /** The list plus a polite live region that announces only the newest step (not the whole list). */
  readonly element: HTMLElement
  private readonly list: HTMLOListElement
  private readonly status: HTMLElement
  private steps: Step[] = []
  private liveNodes = new Map<string, HTMLElement>()

  constructor(id: string) {
    this.list = h('ol', { class: 'timeline' })
    this.status = h('p', { class: 'sr-only', role: 'status' })
    this.element = h('div', { id }, this.list, this.status)
    this.render()
  }

  clear(): void {
    this.steps = []
    this.render()
  }

  add(step: Step): void {
    this.steps.push(step)
    this.render()
  }

  update(id: string, patch: Partial<Step>): void {
    const step = this.steps.find((candidate) => candidate.id === id)
    if (step) Object.assign(step, patch)
    this.render()
  }

  has(id: string): boolean {
    return this.steps.some((step) => step.id === id)
  }

  /** Refreshes only the live texts (countdowns), so focus stays on whatever button has it. */
  tick(): void {
    for (const step of this.steps) {
      const node = this.liveNodes.get(step.id)
      if (node && step.live) node.textContent = step.live()
    }
  }

  render(): void {
    // Re-rendering replaces the buttons: keep keyboard focus inside the timeline, not lost to <body>.
    const focused = document.activeElement
    const hadFocus = focused instanceof HTMLElement && this.list.contains(focused)
    this.draw()
    const newest = this.steps.at(-1)
    this.status.textContent = newest ? `${t(STATE_KEYS[newest.state])} ${t(newest.title)}` : ''
    if (hadFocus) {
      const again = focused.id ? document.getElementById(focused.id) : null
      ;(again ?? this.list.querySelector<HTMLElement>('li:last-child h3'))?.focus()
    }
  }

  private draw(): void {
    this.liveNodes.clear()
    const live = (step: Step) => {
      if (!step.live) return null
      const node = h('p', { class: 'live' }, step.live())
      this.liveNodes.set(step.id, node)
      return node
    }
    if (this.steps.length === 0) {
      replaceChildren(this.list, h('li', { class: 'step step-empty muted' }, t('flow.notStarted')))
      return
    }
    replaceChildren(
      this.list,
      ...this.steps.map((step) =>
        h(
          'li',
          { class: `step step-${step.state}`, 'data-step': step.id, 'data-state': step.state },
          h(
            'h3',
            { tabindex: '-1' },
            h('span', { class: 'state-label' }, t(STATE_KEYS[step.state])),
            ' ',
            t(step.title),
          ),
          step.text ? h('p', null, t(step.text, step.params)) : null,
          live(step),
          ...(step.tokens ?? []).map((token) => tokenView(token.label, token.value, token.jwt)),
          step.exchange ? exchangeView(step.exchange) : null,
          step.actions && step.actions.length > 0
            ? h(
                'div',
                { class: 'actions' },
                ...step.actions.map((action) =>
                  h('button', { type: 'button', id: action.id, onclick: action.run }, t(action.label)),
                ),
              )
            : null,
        ),
      ),
    )
  }
}
