/**
 * @module Sealing a key ring under a caller's secret: the library's own `compactEncrypt` with
 * `PBES2-HS512+A256KW` and `A256GCM` (RFC 7516, RFC 7518 §4.8 and §5.3) on whichever backend the ring runs,
 * so any JOSE library can open it, and rings sealed by earlier releases (the same JWE) still open.
 *
 * On Node the backend is synchronous, so the PBKDF2 of a serialize or restore (≈ 0.2 s at the default
 * iterations) runs on the calling thread; a key ring is sealed at start-up and rotation, not per request.
 */
import type { JweBackend } from '../backend/jwe-types.js'
import { JWEDecryptionFailed, JWEInvalid, KeyInputInvalid } from '../errors.js'
import { compactDecryptWith, compactEncryptWith } from '../jwe/compact.js'
import { decodeJweProtectedHeader } from '../jwe/header.js'
import { utf8Encode } from '../util/bytes.js'

const ALG = 'PBES2-HS512+A256KW'
const ENC = 'A256GCM'
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA512; ~0.2 s here, paid once per serialize or restore. */
export const DEFAULT_ITERATIONS = 210_000
/** A stored ring asking for more is refused before any work (a tampered `p2c` must not stall a restore). */
const MAX_ITERATIONS = 5_000_000
const MIN_ITERATIONS = 10_000
/** A short passphrase is guessable however many iterations protect it. */
const MIN_SECRET_BYTES = 16

function secretBytes(secret: unknown): Uint8Array {
  const bytes = typeof secret === 'string' ? utf8Encode(secret) : secret
  if (!(bytes instanceof Uint8Array))
    throw new KeyInputInvalid('the key ring secret must be a string or a Uint8Array')
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new KeyInputInvalid(
      `the key ring secret must be at least ${MIN_SECRET_BYTES} bytes; use a long random value`,
    )
  }
  return bytes
}

export async function seal(
  jwe: JweBackend,
  plaintext: Uint8Array,
  secret: unknown,
  cty: string,
  iterations = DEFAULT_ITERATIONS,
): Promise<string> {
  return compactEncryptWith(jwe, plaintext, secretBytes(secret), { alg: ALG, enc: ENC, cty, p2c: iterations })
}

/** The sealed ring's header, checked before any key derivation: only what `seal` writes is opened. */
function checkSealHeader(token: unknown, cty: string): void {
  const parts = typeof token === 'string' ? token.split('.') : []
  if (parts.length !== 5) throw new JWEInvalid('a sealed key ring is a compact JWE of five parts')
  const header = decodeJweProtectedHeader(parts[0]!)
  if (header.alg !== ALG || header.enc !== ENC || header.cty !== cty) {
    throw new JWEInvalid(`a sealed key ring uses "alg": "${ALG}", "enc": "${ENC}" and "cty": "${cty}"`)
  }
  const p2c = header.p2c
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < MIN_ITERATIONS || p2c > MAX_ITERATIONS) {
    throw new JWEInvalid(
      `the sealed key ring's "p2c" must be an integer from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}`,
    )
  }
}

export async function unseal(
  jwe: JweBackend,
  token: string,
  secret: unknown,
  cty: string,
): Promise<Uint8Array> {
  const bytes = secretBytes(secret)
  checkSealHeader(token, cty)
  try {
    const { plaintext } = await compactDecryptWith(jwe, token, bytes, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      maxPBES2Count: MAX_ITERATIONS,
    })
    return plaintext
  } catch (error) {
    if (!(error instanceof JWEDecryptionFailed)) throw error
    throw new JWEDecryptionFailed(
      'the key ring did not decrypt: the secret is wrong, or the stored data was altered',
    )
  }
}
