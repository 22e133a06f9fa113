/**
 * @module What a reviewer would say about a token or a secret: pure functions from decoded values to
 * findings (catalogue keys), so they can be tested without a browser.
 */
import type { MessageKey } from '../i18n/en.js'
import type { Params } from '../i18n/types.js'
import { MIN_SECRET_BYTES } from './key-family.js'
import { roughSpan } from './time.js'

export type FindingLevel = 'danger' | 'warning' | 'info'

export interface Finding {
  level: FindingLevel
  key: MessageKey
  params?: Params
  /** For spans: the unit message to format `params.span` with (the view localises it). */
  spanSeconds?: number
}

const DAY = 86_400
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/i
// Nine or more digits, optionally with +, spaces, dots, dashes or brackets between them.
const PHONE = /^\+?[\d\s().-]+$/
const SENSITIVE_NAME =
  /(^|_)(e-?mail|phone|phone_number|mobile|tel|password|passwd|pwd|secret|ssn|national_id|credit_?card|card_?number|iban|birth_?date|birthdate|dob|address)$/i

function looksLikePhone(value: string): boolean {
  return PHONE.test(value) && (value.match(/\d/g)?.length ?? 0) >= 9 && /[\s+().-]/.test(value)
}

/** Paths of claims whose name or value look like personal data (emails, phone numbers, passwords…). */
export function sensitiveClaims(payload: unknown, prefix = '', found: string[] = []): string[] {
  if (payload === null || typeof payload !== 'object') return found
  for (const [name, value] of Object.entries(payload as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${name}` : name
    const flagged =
      SENSITIVE_NAME.test(name) || (typeof value === 'string' && (EMAIL.test(value) || looksLikePhone(value)))
    if (flagged) found.push(path)
    else if (typeof value === 'object' && value !== null && found.length < 20)
      sensitiveClaims(value, path, found)
  }
  return found
}

/** Findings for a decoded JWS: header and claims. `now` is in seconds. */
export function reviewJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | undefined,
  now: number,
): Finding[] {
  const findings: Finding[] = []
  if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    findings.push({ level: 'danger', key: 'warn.algNone' })
  }
  const keyParams = ['jku', 'jwk', 'x5u', 'x5c'].filter((name) => name in header)
  if (keyParams.length > 0)
    findings.push({ level: 'warning', key: 'warn.headerKey', params: { params: keyParams.join(', ') } })
  if (!payload) return findings

  const { exp, iat } = payload
  if (exp === undefined) findings.push({ level: 'warning', key: 'warn.noExp' })
  else if (typeof exp === 'number' && exp > 1e11) findings.push({ level: 'warning', key: 'warn.expMillis' })
  else if (typeof exp === 'number') {
    const start = typeof iat === 'number' ? iat : now
    const lifetime = exp - start
    if (lifetime > DAY) findings.push({ level: 'warning', key: 'warn.longLifetime', spanSeconds: lifetime })
  }
  const sensitive = sensitiveClaims(payload)
  if (sensitive.length > 0)
    findings.push({ level: 'warning', key: 'warn.sensitive', params: { claims: sensitive.join(', ') } })
  findings.push({ level: 'info', key: 'warn.readable' })
  return findings
}

/** Findings for a JWE's protected header (RFC 8725 §3.2, §3.6; RFC 7518 §4.8.1.2). */
export function reviewJwe(header: Record<string, unknown>): Finding[] {
  const findings: Finding[] = []
  if (header.alg === 'RSA1_5') findings.push({ level: 'danger', key: 'warn.rsa15' })
  const p2c = header.p2c
  if (typeof p2c === 'number' && p2c > 10_000)
    findings.push({ level: 'warning', key: 'warn.p2cHigh', params: { count: p2c } })
  if (typeof p2c === 'number' && p2c < 1000)
    findings.push({ level: 'warning', key: 'warn.p2cLow', params: { count: p2c } })
  if (header.zip !== undefined) findings.push({ level: 'warning', key: 'warn.zip' })
  return findings
}

// Secrets seen in tutorials, framework defaults and breach write-ups; an attacker tries these first.
const KNOWN_SECRETS = new Set([
  'secret',
  'secretkey',
  'secret-key',
  'mysecret',
  'my-secret',
  'supersecret',
  'jwt-secret',
  'jwtsecret',
  'jwt_secret',
  'your-256-bit-secret',
  'your-384-bit-secret',
  'your-512-bit-secret',
  'a-string-secret-at-least-256-bits-long',
  'password',
  'changeme',
  'changeit',
  'default',
  'test',
  'key',
  'shhhhh',
  'keyboard cat',
  '123456',
  'qwerty',
])

/** Findings for an HMAC secret about to be used with `alg`; `typed` when it came from a text box as text. */
export function reviewSecret(secret: Uint8Array, alg: string | undefined, typed: boolean): Finding[] {
  const findings: Finding[] = []
  const asText = new TextDecoder().decode(secret)
  const minimum = alg ? MIN_SECRET_BYTES[alg] : undefined
  if (KNOWN_SECRETS.has(asText.trim().toLowerCase()))
    findings.push({ level: 'danger', key: 'warn.secretKnown' })
  if (minimum !== undefined && secret.length < minimum) {
    findings.push({
      level: 'danger',
      key: 'warn.secretShort',
      params: { alg: alg!, bytes: secret.length, minimum },
    })
  }
  // Short secrets are already flagged as short; a long one drawing on few byte values is the trap here.
  if (secret.length >= 16 && new Set(secret).size < 10) {
    findings.push({ level: 'warning', key: 'warn.secretRepetitive' })
  }
  if (typed && findings.length === 0) findings.push({ level: 'info', key: 'warn.secretTyped' })
  return findings
}

export { roughSpan }
