/**
 * @module What both entry points export unchanged: errors, types, unverified decoding, unsecured JWTs,
 * and the algorithm lists.
 */

export { JWE_ALGORITHMS } from './alg/jwe-algorithms.js'
export { JWS_ALGORITHMS } from './alg/jws-algorithms.js'
export type { KeyPair } from './backend/types.js'
export {
  createMemoryReplayCache,
  type MemoryReplayCache,
  type MemoryReplayCacheOptions,
} from './dpop/memory-replay-cache.js'
export type {
  AsyncReplayCache,
  DPoPProofClaims,
  DPoPProofHeader,
  DPoPProofOptions,
  DPoPVerifyOptions,
  DPoPVerifyResult,
  ReplayCache,
  SyncReplayCache,
} from './dpop/types.js'
export * from './errors.js'
export type {
  CompactDecryptResult,
  CompactEncryptOptions,
  DecryptOptions,
  FlattenedDecryptResult,
  FlattenedEncryptOptions,
  FlattenedJWE,
  GeneralDecryptResult,
  GeneralEncryptOptions,
  GeneralJWE,
  GeneralRecipient,
  JWEHeaderParameters,
  KeyManagementOptions,
} from './jwe/types.js'
export { isJoseKey, JoseKey } from './jwk/key.js'
export type { KeyInput, KeyLike, KeyResolver } from './jwk/key-input.js'
export type { GenerateKeyPairOptions } from './jwk/spec.js'
export type { ThumbprintDigest } from './jwk/thumbprint.js'
export type { JWK, JWKSet, KeyType, Kty } from './jwk/types.js'
export type { FetchLike } from './jwks/fetch-jwks.js'
export type { KeyRing, KeyRingEntryInfo, KeyRingOptions, KeyState } from './jwks/key-ring.js'
export type { KeyCandidates } from './jwks/key-set.js'
export type { LocalJWKSet } from './jwks/local.js'
export type { RemoteJWKSet, RemoteJWKSetOptions, RemoteJWKSetSnapshot } from './jwks/remote.js'
export type { JWKSetOptions, SkippedMember } from './jwks/validate-set.js'
export type { GeneralSigner } from './jws/general.js'
export type {
  CompactVerifyResult,
  FlattenedJWS,
  FlattenedVerifyResult,
  GeneralJWS,
  GeneralVerifyResult,
  JWSHeaderParameters,
  SignOptions,
  VerifyOptions,
} from './jws/types.js'
export { decodeJWT, decodeProtectedHeader } from './jwt/decode.js'
export type { JWTDecryptOptions, JWTDecryptResult, JWTEncryptOptions } from './jwt/encrypt-jwt.js'
export type {
  DecryptAndVerifyOptions,
  DecryptAndVerifyResult,
  SignAndEncryptOptions,
} from './jwt/nested-jwt.js'
export type {
  ClaimOptions,
  JWTPayload,
  JWTSignOptions,
  JWTVerifyOptions,
  JWTVerifyResult,
  Span,
} from './jwt/types.js'
export { decodeUnsecuredJWT, encodeUnsecuredJWT } from './jwt/unsecured.js'
export { base64urlProblem, decodeBase64url, encodeBase64url } from './util/base64url.js'
