/**
 * @module The outcome of an action (verify, sign, decrypt, encrypt): a success line, or the catalogue
 * message for the error's code, the code itself, and the library's technical detail folded away.
 */
import { type Child, h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { t } from '../i18n/index.js'
import type { Params } from '../i18n/types.js'
import { type Explained, explainError } from './error-messages.js'

export type Outcome =
  | { ok: true; key: MessageKey; params?: Params; extra?: () => Child; heading?: MessageKey }
  | { ok: false; error: Explained }
  | { ok: 'busy' }

export function failure(error: unknown): Outcome {
  return { ok: false, error: explainError(error) }
}

export function renderOutcome(container: HTMLElement, outcome: Outcome | undefined): void {
  if (!outcome) {
    replaceChildren(container)
    return
  }
  if (outcome.ok === 'busy') {
    replaceChildren(container, h('p', { class: 'result result-busy' }, t('result.busy')))
    return
  }
  if (outcome.ok) {
    replaceChildren(
      container,
      h(
        'div',
        { class: 'result result-ok', 'data-outcome': 'ok' },
        h('strong', null, t(outcome.heading ?? 'result.ok')),
        ' ',
        t(outcome.key, outcome.params),
        outcome.extra?.(),
      ),
    )
    return
  }
  const { error } = outcome
  replaceChildren(
    container,
    h(
      'div',
      { class: 'result result-error', 'data-outcome': 'error', 'data-code': error.code },
      h('strong', null, t('result.failed')),
      ' ',
      h('span', { class: 'reason' }, t(error.key, error.params)),
      ' ',
      h('code', { class: 'error-code' }, error.code),
      h('details', null, h('summary', null, t('result.detail')), h('p', { lang: 'en' }, error.detail)),
    ),
  )
}
