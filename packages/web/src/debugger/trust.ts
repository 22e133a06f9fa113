/**
 * @module What the page may say about the decoded token: "nothing above is trusted" until a verify
 * succeeds, then which algorithm and which key vouched for it (never the secret itself), with a loud
 * warning when that key was an HMAC secret too short to be safe.
 */
import { calculateJwkThumbprint, type JoseKey } from '@tessera/jose'
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/en.js'
import { t } from '../i18n/index.js'
import type { Params } from '../i18n/types.js'
import { MIN_SECRET_BYTES } from './key-family.js'
import { type KeyMaterial, secretBytes } from './key-source.js'

interface Message {
  key: MessageKey
  params: Params
}

export interface Trust {
  alg: string
  /** Names the key: its source in the key box and its shape. */
  key: Message
  shape: Message | undefined
  /** RFC 7638 thumbprint of a public key, so two keys can be told apart at a glance. */
  thumbprint: string | undefined
  /** Set when an HMAC secret shorter than the hash output (RFC 7518 §3.2) verified the token. */
  shortSecret: { bytes: number; minimum: number } | undefined
}

function shapeOf(key: JoseKey): Message | undefined {
  if (key.kty === 'RSA') return { key: 'shape.rsa', params: { bits: key.bits } }
  if (key.kty === 'EC') return { key: 'shape.ec', params: { crv: key.crv ?? '?' } }
  if (key.kty === 'OKP') return { key: 'shape.okp', params: { crv: key.crv ?? '?' } }
  return undefined
}

function isKeySetText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
  } catch {
    return false
  }
}

function sourceOf(material: KeyMaterial, key: JoseKey, bytes: number | undefined): Message {
  const kid = key.kid ? ` "${key.kid}"` : ''
  switch (material.format) {
    case 'secret-text':
      return { key: 'trust.key.secretText', params: { bytes: bytes ?? 0 } }
    case 'secret-b64':
      return { key: 'trust.key.secretB64', params: { bytes: bytes ?? 0 } }
    case 'pem':
      return { key: 'trust.key.pem', params: {} }
    case 'jwk':
      return isKeySetText(material.text)
        ? { key: 'trust.key.jwkSet', params: { kid } }
        : { key: 'trust.key.jwk', params: { kid } }
    case 'jwks-url':
      return { key: 'trust.key.jwksUrl', params: { kid, url: material.text.trim() } }
  }
}

/** The trust statement for a verify that succeeded with `key` (the library's verified key). */
export async function describeTrust(material: KeyMaterial, alg: string, key: JoseKey): Promise<Trust> {
  let bytes: number | undefined
  try {
    bytes = secretBytes(material)?.length
  } catch {
    bytes = undefined
  }
  const minimum = MIN_SECRET_BYTES[alg]
  let thumbprint: string | undefined
  // Only public keys: a digest of a secret is a way to test guesses of the secret offline.
  if (key.type === 'public') {
    try {
      thumbprint = await calculateJwkThumbprint(key)
    } catch {
      thumbprint = undefined
    }
  }
  return {
    alg,
    key: sourceOf(material, key, bytes),
    shape: shapeOf(key),
    thumbprint,
    shortSecret:
      minimum !== undefined && bytes !== undefined && bytes < minimum ? { bytes, minimum } : undefined,
  }
}

/** The short-secret warning, shown wherever a verified state is. */
export function shortSecretWarning(trust: Trust, id: string): HTMLElement | null {
  if (!trust.shortSecret) return null
  return h(
    'p',
    { class: 'short-secret-warning', id, role: 'alert' },
    h('strong', null, t('level.danger')),
    ' ',
    t('trust.shortSecret', { alg: trust.alg, ...trust.shortSecret }),
  )
}

/** The notice under the signature: unverified, or verified naming the algorithm and the key. */
export function renderTrust(trust: Trust | undefined): HTMLElement {
  if (!trust) {
    return h(
      'p',
      { class: 'trust trust-unverified', id: 'trust-notice', 'data-trust': 'unverified' },
      t('trust.unverified'),
    )
  }
  const shape = trust.shape ? t(trust.shape.key, trust.shape.params) : ''
  return h(
    'div',
    {
      class: `trust trust-verified${trust.shortSecret ? ' trust-weak' : ''}`,
      id: 'trust-notice',
      'data-trust': trust.shortSecret ? 'verified-weak' : 'verified',
    },
    h(
      'p',
      null,
      h('strong', null, t('trust.verifiedTitle')),
      ' ',
      t('trust.verified', { alg: trust.alg, key: t(trust.key.key, { ...trust.key.params, shape }) }),
      trust.thumbprint
        ? h('span', { class: 'thumbprint' }, ' ', t('trust.thumbprint', { thumbprint: trust.thumbprint }))
        : null,
    ),
    shortSecretWarning(trust, 'trust-short-secret'),
  )
}
