/**
 * @module The key box shared by verify, re-sign and JWE: a format choice, the key material, and a live
 * review of HMAC secrets (too short, well known, repetitive).
 */
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { bindAttr, bindText, onLangChange, tx } from '../i18n/index.js'
import { renderFindings } from './findings-view.js'
import { KEY_FORMATS, type KeyFormat, type KeyMaterial, secretBytes } from './key-source.js'
import { reviewSecret } from './warnings.js'

const FORMAT_LABELS: Record<KeyFormat, MessageKey> = {
  'secret-text': 'key.format.secretText',
  'secret-b64': 'key.format.secretB64',
  pem: 'key.format.pem',
  jwk: 'key.format.jwk',
  'jwks-url': 'key.format.jwksUrl',
}
const FORMAT_HINTS: Record<KeyFormat, MessageKey> = {
  'secret-text': 'key.hint.secretText',
  'secret-b64': 'key.hint.secretB64',
  pem: 'key.hint.pem',
  jwk: 'key.hint.jwk',
  'jwks-url': 'key.hint.jwksUrl',
}

export interface KeyPanel {
  element: HTMLElement
  material(): KeyMaterial
  setMaterial(material: KeyMaterial): void
  /** The algorithm the secret will be used with (for the length check). */
  setAlg(alg: string | undefined): void
  dispose(): void
}

export function createKeyPanel(): KeyPanel {
  let format: KeyFormat = 'secret-text'
  let alg: string | undefined
  const textarea = h('textarea', {
    id: 'key-input',
    rows: '4',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'key-hint',
  })
  const label = h('label', { for: 'key-input', id: 'key-label' })
  const hint = h('p', { id: 'key-hint', class: 'hint' })
  const review = h('div', { id: 'secret-review', 'aria-live': 'polite' })

  const radios = KEY_FORMATS.map((value) => {
    const input = h('input', { type: 'radio', name: 'key-format', value, id: `key-format-${value}` })
    input.checked = value === format
    input.addEventListener('change', () => {
      if (input.checked) setFormat(value)
    })
    return h('label', { class: 'radio', for: `key-format-${value}` }, input, tx(FORMAT_LABELS[value]))
  })

  function refreshReview() {
    let bytes: Uint8Array | undefined
    try {
      bytes = textarea.value === '' ? undefined : secretBytes({ format, text: textarea.value })
    } catch {
      bytes = undefined
    }
    const hmac = alg === undefined || alg.startsWith('HS')
    renderFindings(
      review,
      bytes && hmac ? reviewSecret(bytes, alg, format === 'secret-text') : [],
      'secret-findings',
    )
  }

  function setFormat(value: KeyFormat) {
    format = value
    for (const radio of radios) {
      const input = radio.querySelector('input')!
      input.checked = input.value === value
    }
    bindText(label, FORMAT_LABELS[value])
    bindText(hint, FORMAT_HINTS[value])
    bindAttr(textarea, 'placeholder', value === 'jwks-url' ? 'key.placeholder.url' : 'key.placeholder.key')
    textarea.rows = value === 'pem' || value === 'jwk' ? 8 : 2
    refreshReview()
  }

  textarea.addEventListener('input', refreshReview)
  const unsubscribe = onLangChange(refreshReview)
  setFormat(format)

  const legend = h('legend', null, tx('key.format'))
  const element = h(
    'section',
    { class: 'panel', id: 'key-panel', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, tx('key.title')),
    h('fieldset', { class: 'radios' }, legend, ...radios),
    label,
    textarea,
    hint,
    review,
  )

  return {
    element,
    material: () => ({ format, text: textarea.value }),
    setMaterial(material) {
      textarea.value = material.text
      setFormat(material.format)
    },
    setAlg(value) {
      alg = value
      refreshReview()
    },
    dispose: unsubscribe,
  }
}
