/**
 * @module The ECDSA signature range check both backends run before the primitive sees a signature:
 * r and s must lie in [1, n-1] (CVE-2022-21449, "psychic signatures"). Pure byte comparison, no crypto.
 */
import type { JwsAlgorithm } from './jws-algorithms.js'

/** True when both halves of a raw R||S signature (already of `alg.signatureLength`) are in [1, n-1]. */
export function ecdsaScalarsInRange(alg: JwsAlgorithm, signature: Uint8Array): boolean {
  const half = signature.length / 2
  const order = alg.order!
  // order may be shorter than `half` (P-521: 66-byte halves, 66-byte order with a leading 0x01).
  for (let part = 0; part < 2; part++) {
    const offset = part * half
    let zero = true
    let cmp = 0
    for (let i = 0; i < half; i++) {
      const byte = signature[offset + i]!
      if (byte !== 0) zero = false
      const orderByte = i - (half - order.length) >= 0 ? order[i - (half - order.length)]! : 0
      if (cmp === 0 && byte !== orderByte) cmp = byte < orderByte ? -1 : 1
    }
    if (zero || cmp >= 0) return false
  }
  return true
}
