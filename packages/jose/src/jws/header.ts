/**
 * @module Protected-header checks shared by every JWS serialization: `alg` shape, `crit`
 * (RFC 7515 §4.1.11), `b64` (RFC 7797 §3, §6), and disjoint protected / unprotected names (§7.2.1).
 */
import { JWSInvalid } from '../errors.js'
import { checkCrit } from '../util/protected-header.js'
import type { JWSHeaderParameters } from './types.js'

/** Extensions this library implements itself. */
const BUILT_IN_CRIT: Readonly<Record<string, boolean>> = { b64: true }

export interface CheckedHeader {
  /** The `alg` value (a string; the allow-list decides whether it is acceptable). */
  alg: string
  /** Whether the payload is base64url-encoded (false only with `b64: false` listed in `crit`). */
  b64: boolean
}

/**
 * Checks the joined header of one signature. `protectedHeader` may be undefined (flattened JSON with
 * only an unprotected header); `understood` holds the caller's extra `crit` names.
 */
export function checkJwsHeader(
  protectedHeader: JWSHeaderParameters | undefined,
  unprotectedHeader: JWSHeaderParameters | undefined,
  understood: Readonly<Record<string, boolean>> | undefined,
): CheckedHeader {
  if (protectedHeader && unprotectedHeader) {
    for (const name of Object.keys(unprotectedHeader)) {
      if (Object.hasOwn(protectedHeader, name)) {
        throw new JWSInvalid(
          `the header parameter "${name.slice(0, 32)}" appears in both the protected and unprotected header`,
        )
      }
    }
  }
  if (unprotectedHeader) {
    if (unprotectedHeader.crit !== undefined) throw new JWSInvalid('"crit" must be in the protected header')
    if (unprotectedHeader.b64 !== undefined) throw new JWSInvalid('"b64" must be in the protected header')
  }
  const alg = protectedHeader?.alg ?? unprotectedHeader?.alg
  if (alg === undefined) throw new JWSInvalid('the JWS header has no "alg"')
  if (typeof alg !== 'string' || alg.length === 0)
    throw new JWSInvalid('the JWS header\'s "alg" must be a non-empty string')

  const critNames = checkCrit(protectedHeader, BUILT_IN_CRIT, understood, JWSInvalid, 'verifier')

  let b64 = true
  const b64Value = protectedHeader?.b64
  if (b64Value !== undefined) {
    if (typeof b64Value !== 'boolean') throw new JWSInvalid('"b64" must be a boolean')
    // RFC 7797 §6: b64 MUST be understood, so it MUST be listed in crit; otherwise old verifiers would misread it.
    if (!critNames.has('b64'))
      throw new JWSInvalid('"b64" is used without being listed in "crit" (RFC 7797 §6)')
    b64 = b64Value
  }
  return { alg, b64 }
}
