/**
 * @module The shapes of DPoP (RFC 9449) proofs: what `createDPoPProof` takes, what `verifyDPoPProof` takes
 * and returns, and the replay interface a server plugs in.
 */
import type { JWK } from '../jwk/types.js'

export interface DPoPProofOptions {
  /**
   * The private key, in any accepted form: a JoseKey, a private JWK, a KeyObject, a CryptoKey, or a key pair
   * (`{ privateKey, publicKey }`: a CryptoKeyPair or what `generateKeyPair` returns).
   */
  key: unknown
  /**
   * The public half, needed only where it cannot be derived from `key`: a non-extractable private CryptoKey
   * made outside this library (a key pair kept in IndexedDB).
   */
  publicKey?: unknown
  /** Default: the key's bound `alg`, else ES256 / ES384 / ES512 by curve, EdDSA for Ed25519. RSA keys must name one. */
  alg?: string
  /** The HTTP method of the request, e.g. "POST". */
  htm: string
  /** The request URL; its query and fragment are dropped (RFC 9449 §4.2). */
  htu: string | URL
  /** The access token the request carries: adds `ath` (RFC 9449 §4.2). */
  accessToken?: string
  /** The server's `DPoP-Nonce`, when it asked for one. */
  nonce?: string
  /** Seconds since the epoch (default now). */
  iat?: number
  /** Default: 128 random bits, base64url. */
  jti?: string
}

/**
 * Replay protection: `seen` records `id` until `expiresAt` (seconds since the epoch, the instant after which
 * the proof is refused as stale anyway) and answers whether `id` was already recorded. It must check and
 * record in one atomic step, so two requests racing with one proof see exactly one `false`.
 */
export interface ReplayCache {
  seen(id: string, expiresAt: number): boolean | Promise<boolean>
}

export interface SyncReplayCache extends ReplayCache {
  seen(id: string, expiresAt: number): boolean
}

export interface AsyncReplayCache extends ReplayCache {
  seen(id: string, expiresAt: number): Promise<boolean>
}

export interface DPoPVerifyOptions {
  /** The request's method, compared exactly. */
  htm: string
  /** The URL the request was sent to, as the server's configured public origin says (never a Host header). */
  htu: string | URL
  /** The access token the request carries: the proof must have its `ath`. */
  accessToken?: string
  /** The thumbprint the token is bound to (its `cnf.jkt`): the proof's key must have it. */
  jkt?: string
  /** The nonce the server requires: a value, or a check (e.g. current or previous time step). */
  nonce?: string | ((nonce: string) => boolean)
  /** How old a proof may be, in seconds or as a span like "5m" (default 300 s). */
  maxAge?: number | string
  /** Clock skew allowed both ways, in seconds or as a span (default 5 s). */
  clockTolerance?: number | string
  /** Refuses a second proof with one key and `jti` inside the window. */
  replay?: ReplayCache
  /** Accepted `alg` values (default: every asymmetric JWS algorithm this runtime runs). */
  algorithms?: readonly string[]
  /** The current time (default now). */
  currentDate?: Date
}

/** The claims of a verified proof. */
export interface DPoPProofClaims {
  jti: string
  htm: string
  htu: string
  iat: number
  ath?: string
  nonce?: string
  [claim: string]: unknown
}

export interface DPoPProofHeader {
  typ: 'dpop+jwt'
  alg: string
  jwk: JWK
  [parameter: string]: unknown
}

export interface DPoPVerifyResult {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: compare it with (or put it into) `cnf.jkt`. */
  jkt: string
  claims: DPoPProofClaims
  header: DPoPProofHeader
}
