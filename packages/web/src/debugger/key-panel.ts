/**
 * @module The key box shared by verify, re-sign and JWE: the formats, label and placeholder follow the
 * algorithm in use (key-family.ts), and HMAC secrets get a live review (too short, well known, repetitive).
 */
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { bindAttr, bindText, onLangChange, tx } from '../i18n/index.js'
import { renderFindings } from './findings-view.js'
import { FAMILY_FORMATS, keyBoxText, keyFamily } from './key-family.js'
import { KEY_FORMATS, type KeyFormat, type KeyMaterial, secretBytes } from './key-source.js'
import { reviewSecret } from './warnings.js'

const FORMAT_LABELS: Record<KeyFormat, MessageKey> = {
  'secret-text': 'key.format.secretText',
  'secret-b64': 'key.format.secretB64',
  pem: 'key.format.pem',
  jwk: 'key.format.jwk',
  'jwks-url': 'key.format.jwksUrl',
}

export interface KeyPanel {
  element: HTMLElement
  material(): KeyMaterial
  setMaterial(material: KeyMaterial): void
  /** The algorithm the key will be used with: picks the formats offered and the secret length check. */
  setAlg(alg: string | undefined): void
  /** Calls `listener` whenever the key material or its format changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void
  dispose(): void
}

export function createKeyPanel(): KeyPanel {
  let format: KeyFormat = 'secret-text'
  let alg: string | undefined
  const listeners = new Set<() => void>()
  const changed = () => {
    for (const listener of listeners) listener()
  }
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
    const wrapper = h(
      'label',
      { class: 'radio', for: `key-format-${value}` },
      input,
      tx(FORMAT_LABELS[value]),
    )
    return { value, input, wrapper }
  })

  function refreshReview() {
    let bytes: Uint8Array | undefined
    try {
      bytes = textarea.value === '' ? undefined : secretBytes({ format, text: textarea.value })
    } catch {
      bytes = undefined
    }
    const hmac = alg === undefined || keyFamily(alg) === 'hmac'
    renderFindings(
      review,
      bytes && hmac ? reviewSecret(bytes, alg, format === 'secret-text') : [],
      'secret-findings',
    )
  }

  /** Label, hint and placeholder name the key the algorithm takes ("ES256 public key (PEM)"). */
  function refreshText() {
    const text = keyBoxText(alg, format)
    const params = { alg: alg ?? '' }
    bindText(label, text.label, params)
    bindText(hint, text.hint, params)
    bindAttr(textarea, 'placeholder', text.placeholder)
    textarea.rows = format === 'pem' || format === 'jwk' ? 8 : 2
    textarea.dataset.keyFamily = keyFamily(alg)
  }

  function setFormat(value: KeyFormat) {
    const before = format
    format = value
    for (const radio of radios) radio.input.checked = radio.value === value
    refreshText()
    refreshReview()
    if (before !== value) changed()
  }

  /** Offers only the formats the algorithm's key can come in; keeps the choice when it still fits. */
  function followAlg() {
    const allowed = FAMILY_FORMATS[keyFamily(alg)]
    for (const radio of radios) radio.wrapper.hidden = !allowed.includes(radio.value)
    if (!allowed.includes(format)) setFormat(allowed[0]!)
    else refreshText()
  }

  textarea.addEventListener('input', () => {
    refreshReview()
    changed()
  })
  const unsubscribe = onLangChange(refreshReview)
  setFormat(format)

  const legend = h('legend', null, tx('key.format'))
  const element = h(
    'section',
    { class: 'panel', id: 'key-panel', 'aria-labelledby': 'key-title' },
    h('h2', { id: 'key-title' }, tx('key.title')),
    h('fieldset', { class: 'radios' }, legend, ...radios.map((radio) => radio.wrapper)),
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
      // A key the page puts in the box (sample, generated secret) is shown whatever the algorithm.
      const radio = radios.find((entry) => entry.value === material.format)
      if (radio) radio.wrapper.hidden = false
      setFormat(material.format)
      changed()
    },
    setAlg(value) {
      if (value === alg) return
      alg = value
      followAlg()
      refreshReview()
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose: unsubscribe,
  }
}
