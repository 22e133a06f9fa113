/**
 * @module The debugger page: the token box (coloured in place) beside the decoded view and the
 * reviewer's findings, then the key box and the three actions (verify, re-sign, JWE).
 */
import { encodeBase64url, signJWT } from '@tessera/jose'
import { h } from '../dom.js'
import { bindText, onLangChange, tx } from '../i18n/index.js'
import { renderDecoded } from './decoded-view.js'
import { renderFindings } from './findings-view.js'
import { createJwePanel } from './jwe-panel.js'
import { createKeyPanel } from './key-panel.js'
import { cleanToken, type ParsedToken, parseToken } from './parse-token.js'
import { createResignPanel } from './resign-panel.js'
import { shareLink, tokenFromHash, writeHash } from './share.js'
import { createTokenEditor } from './token-editor.js'
import type { Trust } from './trust.js'
import { createVerifyPanel } from './verify-panel.js'
import { reviewJwe, reviewJws } from './warnings.js'

const nowSeconds = () => Math.floor(Date.now() / 1000)

export function mountDebugger(outlet: HTMLElement): () => void {
  let text = ''
  let parsed: ParsedToken = { kind: 'empty' }
  let trust: Trust | undefined

  const editor = createTokenEditor()
  const input = editor.input
  const decoded = h('div', { id: 'decoded-view' })
  const findings = h('div', { id: 'findings-view' })
  const shareStatus = h('p', { id: 'share-status', class: 'hint', 'aria-live': 'polite' })

  const keys = createKeyPanel()
  const current = () => ({ text, parsed })
  const verify = createVerifyPanel(current, keys, (next) => {
    trust = next
    renderOutputs()
  })
  const resign = createResignPanel(keys, (token) => load(token))
  const jwe = createJwePanel(keys, current, (token) => load(token))

  function renderOutputs() {
    editor.render()
    renderDecoded(decoded, parsed, nowSeconds(), trust)
    renderFindings(
      findings,
      parsed.kind === 'jws'
        ? reviewJws(parsed.header, parsed.claims, nowSeconds())
        : parsed.kind === 'jwe'
          ? reviewJwe(parsed.header)
          : [],
      'token-findings',
    )
  }

  function update(fromUser: boolean) {
    text = cleanToken(input.value)
    parsed = parseToken(text)
    trust = undefined
    renderOutputs()
    verify.tokenChanged(parsed)
    resign.fill(parsed)
    jwe.tokenChanged(parsed, text)
    if (fromUser && location.hash) writeHash('')
    shareStatus.textContent = ''
  }

  function load(token: string) {
    input.value = token
    update(false)
  }

  async function loadSample() {
    // A fresh random secret and a 15-minute token, so the times read "expires in 15 min".
    const secret = crypto.getRandomValues(new Uint8Array(32))
    keys.setMaterial({ format: 'secret-b64', text: encodeBase64url(secret) })
    const token = await signJWT(
      { sub: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com', scope: 'read' },
      secret,
      {
        alg: 'HS256',
        typ: 'JWT',
        expiresIn: '15m',
        issuer: 'https://issuer.example',
        audience: 'https://api.example',
      },
    )
    load(token)
  }

  async function share() {
    if (!text) return
    const link = shareLink(text, location)
    writeHash(text)
    try {
      await navigator.clipboard.writeText(link)
      bindText(shareStatus, 'share.copied')
    } catch {
      bindText(shareStatus, 'share.inAddressBar')
    }
  }

  function clear() {
    load('')
    writeHash('')
    input.focus()
  }

  input.addEventListener('input', () => update(true))
  const fromHash = () => {
    const token = tokenFromHash(location.hash)
    if (token !== undefined && token !== text) load(token)
  }
  addEventListener('hashchange', fromHash)
  const timer = setInterval(renderOutputs, 15_000)
  const unsubscribe = onLangChange(renderOutputs)

  outlet.append(
    h(
      'div',
      { class: 'page debugger-page' },
      h('h1', null, tx('debugger.title')),
      h('p', { class: 'notice', id: 'privacy-notice', role: 'note' }, tx('debugger.privacy')),
      h(
        'div',
        { class: 'columns' },
        h(
          'section',
          { class: 'column', 'aria-labelledby': 'encoded-title' },
          h('h2', { id: 'encoded-title' }, tx('debugger.encoded')),
          h('label', { for: 'token-input' }, tx('debugger.tokenLabel')),
          editor.element,
          editor.legend,
          bindText(h('p', { id: 'token-hint', class: 'hint' }), 'debugger.tokenHint'),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', id: 'sample-button', onclick: loadSample }, tx('debugger.sample')),
            h('button', { type: 'button', id: 'share-button', onclick: share }, tx('debugger.share')),
            h('button', { type: 'button', id: 'clear-button', onclick: clear }, tx('debugger.clear')),
          ),
          shareStatus,
        ),
        h(
          'section',
          { class: 'column', 'aria-labelledby': 'decoded-title' },
          h('h2', { id: 'decoded-title' }, tx('debugger.decoded')),
          findings,
          decoded,
        ),
      ),
      h('div', { class: 'panels' }, keys.element, verify.element, resign.element, jwe.element),
    ),
  )
  fromHash()
  if (!text) renderOutputs()

  return () => {
    removeEventListener('hashchange', fromHash)
    clearInterval(timer)
    unsubscribe()
    keys.dispose()
    verify.dispose()
    resign.dispose()
    jwe.dispose()
  }
}
