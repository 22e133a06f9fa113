/**
 * @module Typed errors: one class per kind of failure, each with a stable `code`.
 *
 * Messages say what was wrong and what to do. They never contain a token, a secret or key material.
 * Codes are never reused; docs/errors.md lists each one (a test keeps the two in step).
 */

/** Base class of every error this library throws on purpose. */
export class JOSEError extends Error {
  static readonly code: string = 'ERR_JOSE_GENERIC'
  readonly code: string = 'ERR_JOSE_GENERIC'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = this.constructor.name
  }
}

/** A `alg`/`enc` value is outside the caller's allow-list (or the key's own `alg`). */
export class JOSEAlgNotAllowed extends JOSEError {
  static override readonly code = 'ERR_JOSE_ALG_NOT_ALLOWED'
  override readonly code = 'ERR_JOSE_ALG_NOT_ALLOWED'
}

/** The algorithm is unknown, or this runtime (e.g. WebCrypto) cannot run it. */
export class JOSENotSupported extends JOSEError {
  static override readonly code = 'ERR_JOSE_NOT_SUPPORTED'
  override readonly code = 'ERR_JOSE_NOT_SUPPORTED'
}

/** An option given by the caller is malformed or unsafe (e.g. `algorithms` missing, a bad duration). */
export class JOSEOptionInvalid extends JOSEError {
  static override readonly code = 'ERR_JOSE_OPTION_INVALID'
  override readonly code = 'ERR_JOSE_OPTION_INVALID'
}

/** The input is larger than the configured limit; it was refused before any parsing work. */
export class JOSEInputTooLarge extends JOSEError {
  static override readonly code = 'ERR_JOSE_INPUT_TOO_LARGE'
  override readonly code = 'ERR_JOSE_INPUT_TOO_LARGE'
}

/** A `crit` header parameter names an extension this verifier does not understand (RFC 7515 §4.1.11). */
export class JOSECritUnsupported extends JOSEError {
  static override readonly code = 'ERR_JOSE_CRIT_UNSUPPORTED'
  override readonly code = 'ERR_JOSE_CRIT_UNSUPPORTED'
}

/** A JWS is malformed: its serialization, encoding, header or `crit` use is not valid. */
export class JWSInvalid extends JOSEError {
  static override readonly code = 'ERR_JWS_INVALID'
  override readonly code = 'ERR_JWS_INVALID'
}

/** A JWS is well formed but its signature does not verify with the key. */
export class JWSSignatureInvalid extends JOSEError {
  static override readonly code = 'ERR_JWS_SIGNATURE_INVALID'
  override readonly code = 'ERR_JWS_SIGNATURE_INVALID'
  constructor(message = 'signature verification failed: the token was altered or signed with another key') {
    super(message)
  }
}

/** A JWT's claims set is not a JSON object, or a JWT is not shaped like one. */
export class JWTInvalid extends JOSEError {
  static override readonly code = 'ERR_JWT_INVALID'
  override readonly code = 'ERR_JWT_INVALID'
}

/** A claim check failed. `claim` names the claim, `reason` the check. */
export class JWTClaimInvalid extends JOSEError {
  static override readonly code: string = 'ERR_JWT_CLAIM_INVALID'
  override readonly code: string = 'ERR_JWT_CLAIM_INVALID'
  readonly claim: string
  readonly reason: string
  readonly payload: Readonly<Record<string, unknown>>
  constructor(message: string, payload: Record<string, unknown>, claim: string, reason = 'check_failed') {
    super(message)
    this.claim = claim
    this.reason = reason
    this.payload = payload
  }
}

/** The token's `exp` (or `maxTokenAge`) has passed. */
export class JWTExpired extends JWTClaimInvalid {
  static override readonly code = 'ERR_JWT_EXPIRED'
  override readonly code = 'ERR_JWT_EXPIRED'
}

/** A JWK is malformed or does not describe a usable key. */
export class JWKInvalid extends JOSEError {
  static override readonly code = 'ERR_JWK_INVALID'
  override readonly code = 'ERR_JWK_INVALID'
}

/** A PEM text is malformed or holds something other than the expected SPKI, PKCS#8 or X.509 certificate. */
export class PEMInvalid extends JOSEError {
  static override readonly code = 'ERR_PEM_INVALID'
  override readonly code = 'ERR_PEM_INVALID'
}

/** The value passed as a key is not a key (a string, a number, a malformed object). */
export class KeyInputInvalid extends JOSEError {
  static override readonly code = 'ERR_KEY_INPUT_INVALID'
  override readonly code = 'ERR_KEY_INPUT_INVALID'
}

/** The key does not fit the algorithm: wrong type, curve or family, or bound to another `alg`. */
export class KeyAlgMismatch extends JOSEError {
  static override readonly code = 'ERR_KEY_ALG_MISMATCH'
  override readonly code = 'ERR_KEY_ALG_MISMATCH'
}

/** The key is too weak for the algorithm (an HMAC secret shorter than the hash, RSA under 2048 bits). */
export class KeyTooWeak extends JOSEError {
  static override readonly code = 'ERR_KEY_TOO_WEAK'
  override readonly code = 'ERR_KEY_TOO_WEAK'
}

/** The key's `use` or `key_ops` forbid this operation, or a public key was given where a private one is needed. */
export class KeyUsageForbidden extends JOSEError {
  static override readonly code = 'ERR_KEY_USAGE_FORBIDDEN'
  override readonly code = 'ERR_KEY_USAGE_FORBIDDEN'
}

/** A JWE is malformed: serialization, encoding, header, or a parameter of the wrong size. */
export class JWEInvalid extends JOSEError {
  static override readonly code = 'ERR_JWE_INVALID'
  override readonly code = 'ERR_JWE_INVALID'
}

/** A JWE did not decrypt: the key is wrong or the token was altered. Deliberately says no more. */
export class JWEDecryptionFailed extends JOSEError {
  static override readonly code = 'ERR_JWE_DECRYPTION_FAILED'
  override readonly code = 'ERR_JWE_DECRYPTION_FAILED'
  constructor(message = 'decryption failed: the token was altered or encrypted for another key') {
    super(message)
  }
}

/** A `zip: "DEF"` plaintext inflates past `maxDecompressedLength`; inflation stopped at the limit. */
export class JWEDecompressionLimit extends JOSEError {
  static override readonly code = 'ERR_JWE_DECOMPRESSION_LIMIT'
  override readonly code = 'ERR_JWE_DECOMPRESSION_LIMIT'
}

/** A PBES2 token asks for more iterations (`p2c`) than `maxPBES2Count` allows; nothing was derived. */
export class JWEPBES2CountExceeded extends JOSEError {
  static override readonly code = 'ERR_JWE_PBES2_COUNT_EXCEEDED'
  override readonly code = 'ERR_JWE_PBES2_COUNT_EXCEEDED'
}

/** A JWK Set is malformed (not `{ keys: [...] }`, duplicate `kid`s, private members in a public set, too large). */
export class JWKSInvalid extends JOSEError {
  static override readonly code = 'ERR_JWKS_INVALID'
  override readonly code = 'ERR_JWKS_INVALID'
}

/** No key in the set matches the token's header and the operation. */
export class JWKSNoMatchingKey extends JOSEError {
  static override readonly code = 'ERR_JWKS_NO_MATCHING_KEY'
  override readonly code = 'ERR_JWKS_NO_MATCHING_KEY'
}

/** Fetching a remote JWK Set failed (HTTP status, network error, unusable body). */
export class JWKSFetchFailed extends JOSEError {
  static override readonly code = 'ERR_JWKS_FETCH_FAILED'
  override readonly code = 'ERR_JWKS_FETCH_FAILED'
}

/** Fetching a remote JWK Set took longer than `timeoutDuration`. */
export class JWKSTimeout extends JOSEError {
  static override readonly code = 'ERR_JWKS_TIMEOUT'
  override readonly code = 'ERR_JWKS_TIMEOUT'
}

/** Several keys in a set fit a token that has no `kid`, more than a verifier will try. */
export class JWKSMultipleMatchingKeys extends JOSEError {
  static override readonly code = 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
  override readonly code = 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
}

/** A serialized key ring is malformed, or a key ring operation was asked of a ring that cannot do it. */
export class KeyRingInvalid extends JOSEError {
  static override readonly code = 'ERR_KEY_RING_INVALID'
  override readonly code = 'ERR_KEY_RING_INVALID'
}

/**
 * A DPoP proof (RFC 9449) was refused. `reason` names the check that failed: `typ`, `alg`, `jwk`,
 * `signature`, `jti`, `htm`, `htu`, `iat`, `ath`, `nonce`, `jkt` or `proof` (the serialization itself).
 * A server answers it with `error="invalid_dpop_proof"`.
 */
export class DPoPProofInvalid extends JOSEError {
  static override readonly code: string = 'ERR_DPOP_PROOF_INVALID'
  override readonly code: string = 'ERR_DPOP_PROOF_INVALID'
  readonly reason: string
  constructor(message: string, reason = 'proof') {
    super(message)
    this.reason = typeof reason === 'string' ? reason : 'proof'
  }
}

/** The proof has no `nonce`, or not the one the server requires: answer `use_dpop_nonce` with a fresh one. */
export class DPoPNonceRequired extends DPoPProofInvalid {
  static override readonly code = 'ERR_DPOP_NONCE_REQUIRED'
  override readonly code = 'ERR_DPOP_NONCE_REQUIRED'
  constructor(message: string) {
    super(message, 'nonce')
  }
}

/** The same key already sent a proof with this `jti` inside the acceptance window. */
export class DPoPProofReplayed extends DPoPProofInvalid {
  static override readonly code = 'ERR_DPOP_PROOF_REPLAYED'
  override readonly code = 'ERR_DPOP_PROOF_REPLAYED'
  constructor(message = 'this DPoP proof was already used: make a new proof (new jti) for every request') {
    super(message, 'jti')
  }
}

/** Every code this library can throw. */
export type JOSEErrorCode =
  | 'ERR_JOSE_GENERIC'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_JOSE_NOT_SUPPORTED'
  | 'ERR_JOSE_OPTION_INVALID'
  | 'ERR_JOSE_INPUT_TOO_LARGE'
  | 'ERR_JOSE_CRIT_UNSUPPORTED'
  | 'ERR_JWS_INVALID'
  | 'ERR_JWS_SIGNATURE_INVALID'
  | 'ERR_JWT_INVALID'
  | 'ERR_JWT_CLAIM_INVALID'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWK_INVALID'
  | 'ERR_PEM_INVALID'
  | 'ERR_KEY_INPUT_INVALID'
  | 'ERR_KEY_ALG_MISMATCH'
  | 'ERR_KEY_TOO_WEAK'
  | 'ERR_KEY_USAGE_FORBIDDEN'
  | 'ERR_JWE_INVALID'
  | 'ERR_JWE_DECRYPTION_FAILED'
  | 'ERR_JWE_DECOMPRESSION_LIMIT'
  | 'ERR_JWE_PBES2_COUNT_EXCEEDED'
  | 'ERR_JWKS_INVALID'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_FETCH_FAILED'
  | 'ERR_JWKS_TIMEOUT'
  | 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
  | 'ERR_KEY_RING_INVALID'
  | 'ERR_DPOP_PROOF_INVALID'
  | 'ERR_DPOP_NONCE_REQUIRED'
  | 'ERR_DPOP_PROOF_REPLAYED'
