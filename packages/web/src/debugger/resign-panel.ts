/**
 * @module Edit and re-sign: the header and payload as editable JSON, signed exactly as written with the
 * key box's key and the header's `alg` (compactSign, so nothing is added behind the user's back).
 */
import { compactSign, encodeBase64url, type JWSHeaderParameters } from '@tessera/jose'
import { h } from '../dom.js'
import { bindText, onLangChange, tx } from '../i18n/index.js'
import { MIN_SECRET_BYTES } from './key-family.js'
import type { KeyPanel } from './key-panel.js'
import { keyFor } from './key-source.js'
import type { ParsedToken } from './parse-token.js'
import { failure, type Outcome, renderOutcome } from './result-view.js'
import { WebError } from './web-error.js'

export interface ResignPanel {
  element: HTMLElement
  /** Copies the token's header and claims into the editors. */
  fill(parsed: ParsedToken): void
  dispose(): void
}

function parseObject(
  text: string,
  code: 'ERR_WEB_HEADER_JSON' | 'ERR_WEB_PAYLOAD_JSON',
): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // Reported below with the page's own code.
  }
  throw new WebError(
    code,
    code === 'ERR_WEB_HEADER_JSON' ? 'the header is not a JSON object' : 'the payload is not a JSON object',
  )
}

export function createResignPanel(keys: KeyPanel, onSigned: (token: string) => void): ResignPanel {
  let outcome: Outcome | undefined
  const headerBox = h('textarea', { id: 'edit-header', rows: '5', spellcheck: 'false' })
  const payloadBox = h('textarea', { id: 'edit-payload', rows: '10', spellcheck: 'false' })
  const result = h('div', { id: 'resign-result', role: 'status', 'aria-live': 'polite' })
  const show = (next: Outcome | undefined) => {
    outcome = next
    renderOutcome(result, next)
  }

  function headerAlg(): string {
    const header = parseObject(headerBox.value, 'ERR_WEB_HEADER_JSON')
    if (typeof header.alg !== 'string' || header.alg === '')
      throw new WebError('ERR_WEB_ALG_MISSING', 'the header has no "alg"')
    if (header.alg.toLowerCase() === 'none')
      throw new WebError('ERR_WEB_ALG_NONE', 'refusing to produce an unsecured token')
    return header.alg
  }

  async function sign() {
    show({ ok: 'busy' })
    try {
      const header = parseObject(headerBox.value, 'ERR_WEB_HEADER_JSON') as JWSHeaderParameters
      const alg = headerAlg()
      const payload = parseObject(payloadBox.value, 'ERR_WEB_PAYLOAD_JSON')
      const key = await keyFor(keys.material(), alg, 'sign')
      const token = await compactSign(new TextEncoder().encode(JSON.stringify(payload)), key, header)
      onSigned(token)
      show({ ok: true, heading: 'result.done', key: 'resign.done', params: { alg } })
    } catch (error) {
      show(failure(error))
    }
  }

  /** A fresh random HMAC secret of the hash's length (RFC 7518 §3.2), for trying things out. */
  function generateSecret() {
    try {
      const alg = headerAlg()
      const length = MIN_SECRET_BYTES[alg]
      if (!length) throw new WebError('ERR_WEB_ALG_MISSING', 'only HMAC secrets are generated here')
      keys.setMaterial({
        format: 'secret-b64',
        text: encodeBase64url(crypto.getRandomValues(new Uint8Array(length))),
      })
      show({ ok: true, heading: 'result.done', key: 'resign.generated', params: { alg, bytes: length } })
    } catch (error) {
      show(failure(error))
    }
  }

  const unsubscribe = onLangChange(() => renderOutcome(result, outcome))
  const element = h(
    'section',
    { class: 'panel', id: 'resign-panel', 'aria-labelledby': 'resign-title' },
    h('h2', { id: 'resign-title' }, tx('resign.title')),
    bindText(h('p', { class: 'hint' }), 'resign.hint'),
    h(
      'div',
      { class: 'two-up' },
      h('div', null, h('label', { for: 'edit-header' }, tx('resign.header')), headerBox),
      h('div', null, h('label', { for: 'edit-payload' }, tx('resign.payload')), payloadBox),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'resign-button', class: 'primary', onclick: sign },
        tx('resign.button'),
      ),
      h('button', { type: 'button', id: 'generate-secret', onclick: generateSecret }, tx('resign.generate')),
    ),
    result,
  )
  return {
    element,
    fill(parsed) {
      if (parsed.kind !== 'jws') return
      headerBox.value = JSON.stringify(parsed.header, null, 2)
      payloadBox.value = parsed.claims ? JSON.stringify(parsed.claims, null, 2) : (parsed.payloadText ?? '')
      show(undefined)
    },
    dispose: unsubscribe,
  }
}
