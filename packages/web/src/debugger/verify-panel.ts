/**
 * @module Verify: the user picks the algorithm they accept (the token's header is only compared with
 * it, RFC 8725 §3.1), the key comes from the key box, and the outcome names the reason by error code.
 * An HMAC secret shorter than the hash still verifies here, so old tokens can be checked, but the
 * outcome says loudly that such a secret is unsafe; signing stays strict (resign-panel.ts).
 */
import { compactVerify, JWS_ALGORITHMS, type VerifyOptions, verifyJWT } from '@tessera/jose'
import { h } from '../dom.js'
import { bindText, onLangChange, tx } from '../i18n/index.js'
import type { KeyPanel } from './key-panel.js'
import { keyFor } from './key-source.js'
import type { ParsedToken } from './parse-token.js'
import { failure, type Outcome, renderOutcome } from './result-view.js'
import { describeTrust, shortSecretWarning, type Trust } from './trust.js'
import { WebError } from './web-error.js'

export interface VerifyPanel {
  element: HTMLElement
  /** Follows the token: the header's `alg` becomes the proposed choice, and the old outcome is cleared. */
  tokenChanged(parsed: ParsedToken): void
  algorithm(): string
  dispose(): void
}

export function createVerifyPanel(
  token: () => { text: string; parsed: ParsedToken },
  keys: KeyPanel,
  onTrust: (trust: Trust | undefined) => void,
): VerifyPanel {
  let outcome: Outcome | undefined
  // Bumped whenever the token, key or algorithm changes, so a verify still running for the old
  // inputs cannot mark the new ones verified.
  let generation = 0
  const select = h(
    'select',
    { id: 'verify-alg', 'aria-describedby': 'verify-alg-hint' },
    ...JWS_ALGORITHMS.map((alg) => h('option', { value: alg }, alg)),
  )
  const result = h('div', { id: 'verify-result', role: 'status', 'aria-live': 'polite' })
  const show = (next: Outcome | undefined) => {
    outcome = next
    renderOutcome(result, outcome)
  }
  const reset = () => {
    generation += 1
    show(undefined)
    onTrust(undefined)
  }
  select.addEventListener('change', () => {
    keys.setAlg(select.value)
    reset()
  })
  const unsubscribeKeys = keys.onChange(reset)

  async function verify() {
    generation += 1
    const mine = generation
    onTrust(undefined)
    show({ ok: 'busy' })
    try {
      const { text, parsed } = token()
      if (parsed.kind === 'empty') throw new WebError('ERR_WEB_NO_TOKEN', 'paste a token first')
      if (parsed.kind !== 'jws') throw new WebError('ERR_WEB_NOT_JWS', 'only a JWS has a signature to verify')
      if (String(parsed.header.alg).toLowerCase() === 'none') {
        throw new WebError('ERR_WEB_ALG_NONE', 'an unsecured token has no signature')
      }
      const alg = select.value
      const material = keys.material()
      const key = await keyFor(material, alg, 'verify')
      // Verifying with a short secret forges nothing, and people paste old tokens signed with one
      // (jwt.io's demo secret is 19 bytes); the outcome says loudly that the secret must be replaced.
      const options: VerifyOptions = { algorithms: [alg], allowShortHmacKey: true }
      const verified = parsed.claims
        ? await verifyJWT(text, key, options)
        : await compactVerify(text, key, options)
      const trust = await describeTrust(material, String(verified.protectedHeader.alg), verified.key)
      if (mine !== generation) return
      show({
        ok: true,
        key: 'verify.valid',
        params: { alg: trust.alg },
        extra: () => shortSecretWarning(trust, 'verify-short-secret'),
      })
      onTrust(trust)
    } catch (error) {
      if (mine === generation) show(failure(error))
    }
  }

  const button = h(
    'button',
    { type: 'button', id: 'verify-button', class: 'primary', onclick: verify },
    tx('verify.button'),
  )
  const unsubscribe = onLangChange(() => renderOutcome(result, outcome))
  const element = h(
    'section',
    { class: 'panel', id: 'verify-panel', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title' }, tx('verify.title')),
    h('label', { for: 'verify-alg' }, tx('verify.alg')),
    select,
    bindText(h('p', { id: 'verify-alg-hint', class: 'hint' }), 'verify.algHint'),
    h('div', { class: 'actions' }, button),
    result,
  )

  return {
    element,
    tokenChanged(parsed) {
      if (
        parsed.kind === 'jws' &&
        typeof parsed.header.alg === 'string' &&
        JWS_ALGORITHMS.includes(parsed.header.alg)
      ) {
        select.value = parsed.header.alg
        keys.setAlg(select.value)
      }
      reset()
    },
    algorithm: () => select.value,
    dispose() {
      unsubscribe()
      unsubscribeKeys()
    },
  }
}
