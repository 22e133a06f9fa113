/**
 * @module The decoded token: header and payload as JSON beside a table of their members, each known
 * claim explained on hover and keyboard focus, time claims shown as dates and relative phrases, and
 * under the signature whether any of it has been verified yet.
 */
import { type Child, h, replaceChildren, uid } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { getLang, t } from '../i18n/index.js'
import { CLAIM_HELP, HEADER_HELP } from './claim-info.js'
import type { ParsedToken } from './parse-token.js'
import { TIME_CLAIMS, timePhrase, UNIT_KEYS } from './time.js'
import { renderTrust, type Trust } from './trust.js'

/** A name with its explanation as `title` (mouse) and a focusable tooltip wired by aria-describedby. */
function explainedName(name: string, help: MessageKey | undefined): HTMLElement {
  if (!help) return h('code', { class: 'member-name' }, name)
  const id = uid(`help-${name}`)
  const text = t(help)
  return h(
    'span',
    { class: 'has-help' },
    h(
      'code',
      { class: 'member-name', tabindex: '0', title: text, 'aria-describedby': id, 'data-claim': name },
      name,
    ),
    h('span', { class: 'tooltip', role: 'tooltip', id }, text),
  )
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** "2026-11-27 10:15:00 UTC+9 · expires in 12 min" for a NumericDate claim. */
function timeNote(claim: string, value: unknown, now: number): Child {
  if (!TIME_CLAIMS.has(claim) || typeof value !== 'number' || !Number.isFinite(value)) return null
  const date = new Date(value * 1000)
  if (Number.isNaN(date.getTime())) return null
  const phrase = timePhrase(claim, value, now)!
  const span = t(UNIT_KEYS[phrase.span.unit], { n: phrase.span.value })
  const when = new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium', timeStyle: 'long' }).format(date)
  const expired = claim === 'exp' && value <= now
  return h(
    'span',
    { class: `time-note${expired ? ' time-past' : ''}`, 'data-time-claim': claim },
    h('time', { datetime: date.toISOString() }, when),
    ' · ',
    h('span', { class: 'relative' }, t(phrase.key, { span })),
  )
}

function membersTable(
  caption: MessageKey,
  members: Record<string, unknown>,
  help: Readonly<Record<string, MessageKey>>,
  now: number,
  id: string,
): HTMLElement {
  const rows = Object.entries(members).map(([name, value]) =>
    h(
      'tr',
      null,
      h('th', { scope: 'row' }, explainedName(name, help[name])),
      h('td', null, h('span', { class: 'member-value' }, formatValue(value)), timeNote(name, value, now)),
    ),
  )
  return h(
    'table',
    { class: 'members', id },
    h('caption', null, t(caption)),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('decoded.name')),
        h('th', { scope: 'col' }, t('decoded.value')),
      ),
    ),
    h('tbody', null, ...rows),
  )
}

function block(className: string, title: MessageKey, ...children: Child[]): HTMLElement {
  return h('section', { class: `decoded-block ${className}` }, h('h3', null, t(title)), ...children)
}

function json(value: unknown, id: string): HTMLElement {
  return h('pre', { class: 'json', id, tabindex: '0' }, JSON.stringify(value, null, 2))
}

export function renderDecoded(
  container: HTMLElement,
  parsed: ParsedToken,
  now: number,
  trust: Trust | undefined,
): void {
  switch (parsed.kind) {
    case 'empty':
      replaceChildren(container, h('p', { class: 'muted' }, t('decoded.empty')))
      return
    case 'invalid':
      replaceChildren(
        container,
        h(
          'div',
          { class: 'result result-error', role: 'alert', id: 'decode-error' },
          h('strong', null, t('decoded.notAToken')),
          ' ',
          t(parsed.error.key, parsed.error.params),
          h('code', { class: 'error-code' }, parsed.error.code),
        ),
      )
      return
    case 'jwe':
      replaceChildren(
        container,
        block(
          'part-header-box',
          'part.header',
          json(parsed.header, 'decoded-header'),
          membersTable('decoded.headerMembers', parsed.header, HEADER_HELP, now, 'header-table'),
        ),
        h('p', { class: 'note', id: 'jwe-note' }, t('decoded.jweNote')),
      )
      return
    case 'jws': {
      const payloadView = parsed.claims
        ? [
            json(parsed.claims, 'decoded-payload'),
            membersTable('decoded.claims', parsed.claims, CLAIM_HELP, now, 'claims-table'),
          ]
        : [
            h(
              'pre',
              { class: 'json', id: 'decoded-payload' },
              parsed.payloadText ?? t('decoded.payloadBinary'),
            ),
          ]
      const alg = typeof parsed.header.alg === 'string' ? parsed.header.alg : '?'
      replaceChildren(
        container,
        block(
          'part-header-box',
          'part.header',
          json(parsed.header, 'decoded-header'),
          membersTable('decoded.headerMembers', parsed.header, HEADER_HELP, now, 'header-table'),
        ),
        block('part-payload-box', 'part.payload', ...payloadView),
        block(
          'part-signature-box',
          'part.signature',
          h(
            'p',
            null,
            t('decoded.signatureNote', { alg, bytes: Math.floor((parsed.parts[2].length * 3) / 4) }),
          ),
          renderTrust(trust),
        ),
      )
    }
  }
}
