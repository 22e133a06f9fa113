/**
 * @module The shape every library adapter in `bench/cases/` fills in: one factory per operation, built
 * once (keys imported, options compiled) so the timed call is only the operation itself.
 */
import type { Fixtures, JweCase, JwsAlg } from '../fixtures.js'

/** Returns the claims it verified (or decoded); throws when the token is refused. */
export type VerifyFn = (token: string) => unknown
export type SignFn = () => string | Promise<string>
/** Returns the plaintext bytes; throws when the token is refused. */
export type DecryptFn = (token: string) => Uint8Array | Promise<Uint8Array>

export interface LibraryOps {
  /** Signs CLAIMS with iss, aud, iat and exp (1 h) under `alg`, header {alg, typ: "JWT"}. */
  sign?(alg: JwsAlg): SignFn | undefined
  /** Verifies with `alg` pinned and exp, iss and aud checked. */
  verify?(alg: JwsAlg): VerifyFn | undefined
  /** As verify, with the library's own cache of verified tokens turned on. */
  verifyCached?(alg: JwsAlg): VerifyFn | undefined
  /** Reads the claims without verifying. */
  decode?(): VerifyFn
  encrypt?(jwe: JweCase): SignFn | undefined
  decrypt?(jwe: JweCase): DecryptFn | undefined
  /** A DPoP proof (RFC 9449) for DPOP_REQUEST with DPOP_ACCESS_TOKEN, by the ES256 fixture key (dpop-request.ts). */
  dpopCreate?(): SignFn | undefined
  /**
   * Verifies such a proof as a resource server does: typ, alg, the embedded public key, the signature, htm,
   * htu, iat, ath, and the key's thumbprint against the token's cnf.jkt. Returns the claims; throws on refusal.
   */
  dpopVerify?(): VerifyFn | undefined
  /** Only the raw adapter: a token with these claims instead of the usual ones (for the refusal checks). */
  forge?(alg: JwsAlg, claims: Record<string, unknown>): string
}

export interface Library {
  /** Column name in the table. */
  name: string
  setup(fixtures: Fixtures): Promise<LibraryOps>
}

/** The claims each verifier returns, whatever its result shape, for the cross-check. */
export function subjectOf(result: unknown): unknown {
  const value = result as { payload?: { sub?: unknown }; sub?: unknown }
  return value?.payload?.sub ?? value?.sub
}
