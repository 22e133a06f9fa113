/**
 * @module Failure → words: every error `code` (the library's and the page's) maps to one catalogue
 * message, so the page says *why* in the reader's language instead of echoing an English exception.
 */
import type { MessageKey } from '../i18n/en.js'
import type { Params } from '../i18n/types.js'

const MESSAGES: Record<string, MessageKey> = {
  ERR_JWS_SIGNATURE_INVALID: 'err.signature',
  ERR_JWT_EXPIRED: 'err.expired',
  ERR_JWT_CLAIM_INVALID: 'err.claim',
  ERR_JOSE_ALG_NOT_ALLOWED: 'err.algNotAllowed',
  ERR_JOSE_NOT_SUPPORTED: 'err.notSupported',
  ERR_JOSE_OPTION_INVALID: 'err.optionInvalid',
  ERR_JOSE_INPUT_TOO_LARGE: 'err.tooLarge',
  ERR_JOSE_CRIT_UNSUPPORTED: 'err.crit',
  ERR_JWS_INVALID: 'err.jwsInvalid',
  ERR_JWT_INVALID: 'err.jwtInvalid',
  ERR_JWK_INVALID: 'err.jwkInvalid',
  ERR_PEM_INVALID: 'err.pemInvalid',
  ERR_KEY_INPUT_INVALID: 'err.keyInput',
  ERR_KEY_ALG_MISMATCH: 'err.keyAlgMismatch',
  ERR_KEY_TOO_WEAK: 'err.keyTooWeak',
  ERR_KEY_USAGE_FORBIDDEN: 'err.keyUsage',
  ERR_JWE_INVALID: 'err.jweInvalid',
  ERR_JWE_DECRYPTION_FAILED: 'err.decryptionFailed',
  ERR_JWE_DECOMPRESSION_LIMIT: 'err.decompression',
  ERR_JWE_PBES2_COUNT_EXCEEDED: 'err.pbes2Count',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'err.jwksMultiple',
  ERR_KEY_RING_INVALID: 'err.keyRing',
  ERR_JWKS_INVALID: 'err.jwksInvalid',
  ERR_JWKS_NO_MATCHING_KEY: 'err.jwksNoKey',
  ERR_JWKS_FETCH_FAILED: 'err.jwksFetch',
  ERR_JWKS_TIMEOUT: 'err.jwksTimeout',
  ERR_DPOP_PROOF_INVALID: 'err.dpopProof',
  ERR_DPOP_NONCE_REQUIRED: 'err.dpopNonce',
  ERR_DPOP_PROOF_REPLAYED: 'err.dpopReplayed',
  ERR_WEB_NO_TOKEN: 'err.noToken',
  ERR_WEB_NOT_JWS: 'err.notJws',
  ERR_WEB_NOT_JWE: 'err.notJwe',
  ERR_WEB_KEY_EMPTY: 'err.keyEmpty',
  ERR_WEB_KEY_JSON: 'err.keyJson',
  ERR_WEB_BASE64URL: 'err.base64url',
  ERR_WEB_ALG_NONE: 'err.algNone',
  ERR_WEB_JWKS_URL: 'err.jwksUrl',
  ERR_WEB_JWKS_VERIFY_ONLY: 'err.jwksVerifyOnly',
  ERR_WEB_NEED_ONE_KEY: 'err.needOneKey',
  ERR_WEB_HEADER_JSON: 'err.headerJson',
  ERR_WEB_PAYLOAD_JSON: 'err.payloadJson',
  ERR_WEB_ALG_MISSING: 'err.algMissing',
}

export interface Explained {
  code: string
  key: MessageKey
  params: Params
  /** The thrower's own (English, secret-free) message, shown as technical detail. */
  detail: string
}

/** The catalogue message for any thrown value. */
export function explainError(error: unknown): Explained {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'ERR_UNKNOWN'
  const detail = error instanceof Error ? error.message : String(error)
  const params: Params = { code }
  const claim = (error as { claim?: unknown } | null)?.claim
  if (typeof claim === 'string') params.claim = claim
  const reason = (error as { reason?: unknown } | null)?.reason
  if (typeof reason === 'string') params.reason = reason
  return { code, key: MESSAGES[code] ?? 'err.unknown', params, detail }
}

/** Every code with a message (a test checks each one exists in both catalogues). */
export const EXPLAINED_CODES: readonly string[] = Object.keys(MESSAGES)
export const ERROR_MESSAGE_KEYS: readonly MessageKey[] = Object.values(MESSAGES)
