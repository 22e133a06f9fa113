/**
 * @module JWE shapes (RFC 7516): headers, the three serializations, and the options and results of
 * encryption and decryption.
 */
import type { JWK } from '../jwk/types.js'

export interface JWEHeaderParameters {
  alg?: string
  enc?: string
  zip?: string
  kid?: string
  typ?: string
  cty?: string
  crit?: string[]
  epk?: JWK
  apu?: string
  apv?: string
  p2s?: string
  p2c?: number
  iv?: string
  tag?: string
  [parameter: string]: unknown
}

export interface FlattenedJWE {
  protected?: string
  unprotected?: JWEHeaderParameters
  header?: JWEHeaderParameters
  encrypted_key?: string
  iv: string
  ciphertext: string
  tag: string
  aad?: string
}

export interface GeneralJWE {
  protected?: string
  unprotected?: JWEHeaderParameters
  recipients: Array<{ header?: JWEHeaderParameters; encrypted_key?: string }>
  iv: string
  ciphertext: string
  tag: string
  aad?: string
}

/**
 * Key-management inputs a caller may fix (RFC 7518 §4.6.1, §4.8.1). They end up in the header.
 * Leave them out to get the safe defaults (random `p2s`, `p2c` 8192, a fresh ephemeral key).
 */
export interface KeyManagementOptions {
  /** ECDH-ES Agreement PartyUInfo (bytes). */
  apu?: Uint8Array
  /** ECDH-ES Agreement PartyVInfo (bytes). */
  apv?: Uint8Array
  /** PBES2 salt input (at least 8 bytes; default 16 random bytes). */
  p2s?: Uint8Array
  /** PBES2 iteration count (default 8192). */
  p2c?: number
  /** ECDH-ES ephemeral private key, for reproducing a known-answer test. Never reuse one in production. */
  epk?: unknown
}

export interface CompactEncryptOptions extends KeyManagementOptions {
  alg: string
  enc: string
  kid?: string
  typ?: string
  cty?: string
  /** `"DEF"` compresses the plaintext before encryption (RFC 7516 §4.1.3). */
  zip?: 'DEF'
  /** More protected header parameters (the named options above take precedence). */
  header?: JWEHeaderParameters
}

export interface FlattenedEncryptOptions {
  /** The shared unprotected header (`unprotected`). */
  unprotectedHeader?: JWEHeaderParameters
  /** The per-recipient unprotected header (`header`). */
  header?: JWEHeaderParameters
  /** Additional authenticated data (RFC 7516 §5.1 step 14). */
  aad?: Uint8Array
  keyManagement?: KeyManagementOptions
}

export interface GeneralRecipient {
  key: unknown
  /** This recipient's unprotected header (usually `alg` and `kid`). */
  header?: JWEHeaderParameters
  keyManagement?: KeyManagementOptions
}

export interface GeneralEncryptOptions {
  unprotectedHeader?: JWEHeaderParameters
  aad?: Uint8Array
}

export interface DecryptOptions {
  /** The key management algorithms you accept (required). `RSA1_5` works only when listed here. */
  keyManagementAlgorithms?: readonly string[]
  /** The content encryption algorithms you accept (required). */
  contentEncryptionAlgorithms?: readonly string[]
  /** Largest inflated plaintext for `zip: "DEF"` (default 250,000 bytes), enforced while inflating. */
  maxDecompressedLength?: number
  /** Largest PBES2 `p2c` accepted (default 10,000). */
  maxPBES2Count?: number
  /** Refuse serialized input longer than this many characters before any work (default 262,144). */
  maxTokenLength?: number
  /** Extension names you understand in `crit`. */
  crit?: Readonly<Record<string, boolean>>
}

export interface CompactDecryptResult {
  plaintext: Uint8Array
  protectedHeader: JWEHeaderParameters
}

export interface FlattenedDecryptResult extends CompactDecryptResult {
  unprotectedHeader?: JWEHeaderParameters
  header?: JWEHeaderParameters
  additionalAuthenticatedData?: Uint8Array
}

export type GeneralDecryptResult = FlattenedDecryptResult

/** Values the pipeline normally draws at random; fixed only by known-answer tests (not exported publicly). */
export interface FixedValues {
  cek?: Uint8Array
  iv?: Uint8Array
  /** A*GCMKW's key-wrapping IV, one per recipient in order. */
  kwIv?: Uint8Array[]
}
