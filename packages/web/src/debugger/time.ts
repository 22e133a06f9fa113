/**
 * @module Time claims as words: a signed span in the largest sensible unit ("12 min", "3 h"), and which
 * phrase fits each claim (`exp` in the future "expires in", in the past "expired … ago").
 */
import type { MessageKey } from '../i18n/en.js'
import type { Params } from '../i18n/types.js'

export type SpanUnit = 's' | 'min' | 'h' | 'd'

export interface RoughSpan {
  value: number
  unit: SpanUnit
}

/** |seconds| rounded into one unit: below 90 s in seconds, below 90 min in minutes, below 48 h in hours. */
export function roughSpan(seconds: number): RoughSpan {
  const abs = Math.abs(seconds)
  if (abs < 90) return { value: Math.round(abs), unit: 's' }
  if (abs < 90 * 60) return { value: Math.round(abs / 60), unit: 'min' }
  if (abs < 48 * 3600) return { value: Math.round(abs / 3600), unit: 'h' }
  return { value: Math.round(abs / 86400), unit: 'd' }
}

export const UNIT_KEYS: Record<SpanUnit, MessageKey> = {
  s: 'unit.s',
  min: 'unit.min',
  h: 'unit.h',
  d: 'unit.d',
}

export interface Phrase {
  key: MessageKey
  /** The span to fill into `{span}`: format it with the `UNIT_KEYS` message of its unit. */
  span: RoughSpan
}

/** The phrase for a NumericDate claim at `now` (both in seconds), or undefined for other claims. */
export function timePhrase(claim: string, value: number, now: number): Phrase | undefined {
  const delta = value - now
  const span = roughSpan(delta)
  switch (claim) {
    case 'exp':
      return { key: delta > 0 ? 'time.expiresIn' : 'time.expiredAgo', span }
    case 'nbf':
      return { key: delta > 0 ? 'time.validIn' : 'time.validSince', span }
    case 'iat':
    case 'auth_time':
      return { key: delta > 0 ? 'time.issuedIn' : 'time.issuedAgo', span }
    default:
      return undefined
  }
}

/** Claims holding a NumericDate (RFC 7519 §2): seconds since the epoch. */
export const TIME_CLAIMS: ReadonlySet<string> = new Set(['exp', 'nbf', 'iat', 'auth_time'])

export type { Params }
