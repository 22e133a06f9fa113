/**
 * @module The `htu` claim (RFC 9449 §4.2, §4.3): an http(s) URL without query and fragment, compared after
 * the normalization the WHATWG URL parser does (scheme and host lower-cased, default port dropped, an empty
 * path made "/", dot segments resolved). The path is otherwise compared exactly.
 */
import { DPoPProofInvalid, JOSEOptionInvalid } from '../errors.js'

const MAX_HTU_LENGTH = 4096

/** `scheme://host[:port]/path` of an http(s) URL, or undefined when `value` is not one. */
export function htuOf(value: unknown): string | undefined {
  let url: URL
  if (value instanceof URL) url = value
  else if (typeof value === 'string' && value.length <= MAX_HTU_LENGTH && URL.canParse(value))
    url = new URL(value)
  else return undefined
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  return `${url.origin}${url.pathname}`
}

/** The `htu` a caller's URL option stands for; a malformed option is the caller's mistake, not the proof's. */
export function expectedHtu(value: unknown, option: string): string {
  const htu = htuOf(value)
  if (htu === undefined) {
    throw new JOSEOptionInvalid(`${option} must be an absolute http(s) URL without user information`)
  }
  return htu
}

/** Refuses a proof whose `htu` is not the request's URL (its query and fragment are ignored, §4.3). */
export function checkHtu(claim: unknown, expected: string): void {
  if (typeof claim !== 'string')
    throw new DPoPProofInvalid('the DPoP proof has no "htu" claim (the request URL)', 'htu')
  const htu = htuOf(claim)
  if (htu === undefined)
    throw new DPoPProofInvalid('the DPoP proof\'s "htu" is not an absolute http(s) URL', 'htu')
  if (htu !== expected) {
    throw new DPoPProofInvalid(
      `the DPoP proof was made for another URL: make it for ${expected} (without query or fragment)`,
      'htu',
    )
  }
}
