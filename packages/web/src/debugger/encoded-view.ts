/**
 * @module The encoded token, coloured part by part (header, payload, signature; or the five JWE parts),
 * with each part labelled for screen readers so colour is never the only cue.
 */
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { bindAttr, tx } from '../i18n/index.js'
import type { ParsedToken } from './parse-token.js'

const JWS_PARTS: Array<[string, MessageKey]> = [
  ['part-header', 'part.header'],
  ['part-payload', 'part.payload'],
  ['part-signature', 'part.signature'],
]
const JWE_PARTS: Array<[string, MessageKey]> = [
  ['part-header', 'part.header'],
  ['part-key', 'part.encryptedKey'],
  ['part-iv', 'part.iv'],
  ['part-payload', 'part.ciphertext'],
  ['part-signature', 'part.tag'],
]

export function renderEncoded(container: HTMLElement, parsed: ParsedToken): void {
  if (parsed.kind === 'empty') {
    replaceChildren(container)
    return
  }
  const legend = parsed.kind === 'jwe' ? JWE_PARTS : JWS_PARTS
  const parts = parsed.parts
  const children: Node[] = []
  parts.forEach((part, index) => {
    if (index > 0) children.push(h('span', { class: 'part-dot', 'aria-hidden': 'true' }, '.'))
    const [className, label] = legend[index] ?? ['part-extra', 'part.extra']
    const span = h(
      'span',
      { class: `part ${className}` },
      h('span', { class: 'sr-only' }, tx(label), ': '),
      part,
    )
    bindAttr(span, 'title', label)
    children.push(span)
  })
  replaceChildren(container, h('code', { class: 'encoded-token', id: 'encoded-token' }, ...children))
}
