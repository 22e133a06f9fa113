/**
 * @module JWE: decrypt a pasted JWE with the key box's key (the algorithms accepted are the user's
 * choice, as for verify) and show the plaintext; encrypt a plaintext (by default the JWS above, as a
 * nested JWT with `cty: "JWT"`) and put the result in the token box.
 */
import { compactDecrypt, compactEncrypt } from '@tessera/jose'
import { h } from '../dom.js'
import { bindText, onLangChange, t, tx } from '../i18n/index.js'
import { JWE_ALGS } from './jwe-api.js'
import type { KeyPanel } from './key-panel.js'
import { keyFor } from './key-source.js'
import { cleanToken, type ParsedToken } from './parse-token.js'
import { failure, type Outcome, renderOutcome } from './result-view.js'
import { WebError } from './web-error.js'

export interface JwePanel {
  element: HTMLElement
  tokenChanged(parsed: ParsedToken, text: string): void
  dispose(): void
}

function options(values: readonly string[]): HTMLOptionElement[] {
  return values.map((value) => h('option', { value }, value))
}

export function createJwePanel(
  keys: KeyPanel,
  current: () => { text: string; parsed: ParsedToken },
  load: (token: string) => void,
): JwePanel {
  let outcome: Outcome | undefined
  const algSelect = h('select', { id: 'jwe-alg' }, ...options(JWE_ALGS.alg))
  const encSelect = h('select', { id: 'jwe-enc' }, ...options(JWE_ALGS.enc))
  algSelect.value = JWE_ALGS.alg.includes('dir') ? 'dir' : (JWE_ALGS.alg[0] ?? '')
  encSelect.value = JWE_ALGS.enc.includes('A256GCM') ? 'A256GCM' : (JWE_ALGS.enc[0] ?? '')
  // Choosing a key-management algorithm says which key the box should take (secret, password, key pair).
  algSelect.addEventListener('change', () => keys.setAlg(algSelect.value))
  const plaintextBox = h('textarea', { id: 'jwe-plaintext-input', rows: '4', spellcheck: 'false' })
  const result = h('div', { id: 'jwe-result', role: 'status', 'aria-live': 'polite' })
  const show = (next: Outcome | undefined) => {
    outcome = next
    renderOutcome(result, next)
  }

  async function decrypt() {
    show({ ok: 'busy' })
    try {
      const { text, parsed } = current()
      if (parsed.kind === 'empty') throw new WebError('ERR_WEB_NO_TOKEN', 'paste a token first')
      if (parsed.kind !== 'jwe') throw new WebError('ERR_WEB_NOT_JWE', 'only a JWE can be decrypted')
      const key = await keyFor(keys.material(), algSelect.value, 'decrypt')
      const { plaintext, protectedHeader } = await compactDecrypt(text, key, {
        keyManagementAlgorithms: [algSelect.value],
        contentEncryptionAlgorithms: [encSelect.value],
      })
      const inner = new TextDecoder().decode(plaintext)
      const nested =
        cleanToken(inner).split('.').length === 3 || String(protectedHeader.cty).toUpperCase() === 'JWT'
      show({
        ok: true,
        heading: 'result.done',
        key: 'jwe.decrypted',
        params: { alg: algSelect.value, enc: encSelect.value },
        extra: () =>
          h(
            'div',
            null,
            h('pre', { class: 'json', id: 'jwe-plaintext', tabindex: '0' }, inner),
            nested
              ? h(
                  'button',
                  { type: 'button', id: 'jwe-open-inner', onclick: () => load(cleanToken(inner)) },
                  t('jwe.openInner'),
                )
              : null,
          ),
      })
    } catch (error) {
      show(failure(error))
    }
  }

  async function encrypt() {
    show({ ok: 'busy' })
    try {
      const text = plaintextBox.value
      if (text === '') throw new WebError('ERR_WEB_NO_TOKEN', 'nothing to encrypt')
      const isJws = cleanToken(text).split('.').length === 3
      const key = await keyFor(keys.material(), algSelect.value, 'encrypt')
      const jwe = await compactEncrypt(new TextEncoder().encode(isJws ? cleanToken(text) : text), key, {
        alg: algSelect.value,
        enc: encSelect.value,
        ...(isJws ? { cty: 'JWT' } : {}),
      })
      load(jwe)
      show({
        ok: true,
        heading: 'result.done',
        key: 'jwe.encrypted',
        params: { alg: algSelect.value, enc: encSelect.value },
      })
    } catch (error) {
      show(failure(error))
    }
  }

  const unsubscribe = onLangChange(() => renderOutcome(result, outcome))
  const element = h(
    'section',
    { class: 'panel', id: 'jwe-panel', 'aria-labelledby': 'jwe-title' },
    h('h2', { id: 'jwe-title' }, tx('jwe.title')),
    bindText(h('p', { class: 'hint' }), 'jwe.hint'),
    h(
      'div',
      { class: 'two-up' },
      h('div', null, h('label', { for: 'jwe-alg' }, tx('jwe.alg')), algSelect),
      h('div', null, h('label', { for: 'jwe-enc' }, tx('jwe.enc')), encSelect),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'jwe-decrypt', class: 'primary', onclick: decrypt },
        tx('jwe.decrypt'),
      ),
    ),
    h('label', { for: 'jwe-plaintext-input' }, tx('jwe.plaintext')),
    plaintextBox,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'jwe-encrypt', onclick: encrypt }, tx('jwe.encrypt')),
    ),
    result,
  )
  return {
    element,
    tokenChanged(parsed, text) {
      if (parsed.kind === 'jwe') {
        if (typeof parsed.header.alg === 'string' && JWE_ALGS.alg.includes(parsed.header.alg))
          algSelect.value = parsed.header.alg
        if (typeof parsed.header.enc === 'string' && JWE_ALGS.enc.includes(parsed.header.enc))
          encSelect.value = parsed.header.enc
        keys.setAlg(algSelect.value)
      } else if (parsed.kind === 'jws') {
        plaintextBox.value = cleanToken(text)
      }
    },
    dispose: unsubscribe,
  }
}
