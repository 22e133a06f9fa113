/**
 * @module Access tokens: RFC 9068 JWTs (`typ: at+jwt`) signed by the key ring, carrying `sid`, the refresh
 * family they came from; verified with one verifier (with @tessera/jose's token cache), and at the issuer
 * also against the in-memory revocation set (`check`) or, where the store must answer, the family (`verify`).
 */
import { randomBytes } from 'node:crypto'
import { createVerifier, type JWTPayload, type Verifier } from '@tessera/jose'
import type { Clock } from '../clock.js'
import { AccessTokenInvalid } from '../errors.js'
import type { KeyRing } from '../keys/key-ring.js'
import type { RevocationCheck } from '../revocation/revocation-feed.js'
import type { RefreshFamily, RefreshRepository } from '../store/types.js'

export interface AccessClaims extends JWTPayload {
  iss: string
  sub: string
  aud: string
  exp: number
  iat: number
  jti: string
  client_id: string
  scope: string
  /** The refresh family (grant) behind the token; absent only on client_credentials tokens (sub = client_id). */
  sid: string
  /** RFC 9449 §6: a DPoP-bound token names the RFC 7638 thumbprint of the key its proofs must be made by. */
  cnf?: { jkt: string }
}

// RFC 7638 SHA-256 thumbprint, base64url: 43 characters.
const JKT = /^[A-Za-z0-9_-]{43}$/

/**
 * How a token must be presented (RFC 9449 §7.1, §7.2): the thumbprint of the key a DPoP-bound token's
 * proofs must be made by (its `cnf.jkt`), or undefined for a Bearer token. A `cnf` without such a `jkt`
 * binds the token to something this server cannot check: refused, never treated as Bearer.
 */
export function dpopBinding(claims: AccessClaims): string | undefined {
  const cnf = claims.cnf as unknown
  if (cnf === undefined) return undefined
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined
  if (typeof jkt !== 'string' || !JKT.test(jkt))
    throw new AccessTokenInvalid('this access token is bound (cnf) to a key this server cannot check')
  return jkt
}

export interface AccessTokenDeps {
  keys: KeyRing
  clock: Clock
  /** The issuer now (it may follow the real listening address). */
  issuer: () => string
  families: Pick<RefreshRepository, 'findFamily'>
  audience: string
  /** RFC 8707 resource indicators a token may be issued for instead of `audience`. */
  resources?: readonly string[]
  /** Seconds. */
  accessTtl: number
  clockSkew: number
  /** The revocation set `check` consults on every call, cache hit or not. */
  revocations?: RevocationCheck
}

/**
 * Verified tokens kept by the verifier: a hit skips the signature (its claims, `exp` first, are checked
 * again on every hit). 10,000 entries of ~1 KiB is ~10 MiB at most; first in, first out.
 */
const TOKEN_CACHE_MAX = 10_000

export interface AccessGrant {
  userId: string
  familyId: string
  clientId: string
  scope: string
  /** The `aud` (an RFC 8707 resource); the configured audience when absent. */
  audience?: string
  /** The DPoP key thumbprint to bind the token to (`cnf.jkt`); a Bearer token when absent. */
  jkt?: string
}

/** A client acting for itself (client_credentials): no user, no refresh family. */
export interface ClientGrant {
  clientId: string
  scope: string
  audience?: string
  /** The DPoP key thumbprint to bind the token to (`cnf.jkt`); a Bearer token when absent. */
  jkt?: string
}

export class AccessTokens {
  readonly #d: AccessTokenDeps
  #verifier: { issuer: string; verify: Verifier } | undefined

  constructor(deps: AccessTokenDeps) {
    this.#d = deps
  }

  /** Signs an access token for `grant`, issued at `now` (ms). */
  sign(grant: AccessGrant, now: number): string {
    return this.#sign(grant.userId, grant, now, { sid: grant.familyId })
  }

  /** Signs a client_credentials access token: `sub` is the client, and there is no `sid`. */
  signForClient(grant: ClientGrant, now: number): string {
    return this.#sign(grant.clientId, grant, now, {})
  }

  #sign(
    sub: string,
    grant: { clientId: string; scope: string; audience?: string | undefined; jkt?: string | undefined },
    now: number,
    extra: { sid?: string },
  ): string {
    const iat = Math.floor(now / 1000)
    const claims: Omit<AccessClaims, 'sid'> & { sid?: string } = {
      iss: this.#d.issuer(),
      sub,
      aud: grant.audience ?? this.#d.audience,
      exp: iat + this.#d.accessTtl,
      iat,
      jti: randomBytes(16).toString('base64url'),
      client_id: grant.clientId,
      scope: grant.scope,
      ...extra,
      ...(grant.jkt !== undefined ? { cnf: { jkt: grant.jkt } } : {}),
    }
    return this.#d.keys.sign(claims).token
  }

  /** Signature and claims only, as a resource server verifying alone would. Throws AccessTokenInvalid. */
  verifySignature(token: string): AccessClaims {
    try {
      return this.#verify()(token).payload as AccessClaims
    } catch (error) {
      const code = (error as { code?: string }).code
      const message =
        code === 'ERR_JWT_EXPIRED' ? 'the access token has expired' : 'the access token is not valid'
      throw new AccessTokenInvalid(message, { cause: error })
    }
  }

  /**
   * Verifies an access token here, at the issuer: signature and claims, and (unlike a resource server
   * verifying alone) that its refresh family is still alive, so a revoked session is refused at once.
   */
  async verify(token: string): Promise<{ claims: AccessClaims; family: RefreshFamily }> {
    const claims = this.verifySignature(token)
    if (typeof claims.sid !== 'string')
      throw new AccessTokenInvalid('this access token belongs to no session')
    const family = await this.#d.families.findFamily(claims.sid)
    if (!family || family.revokedAt !== null)
      throw new AccessTokenInvalid('the session of this access token was ended')
    return { claims, family }
  }

  /**
   * At the issuer, from memory: the signature (or a cache hit) and the revocation set (ended session,
   * disabled user), no store call. Throws AccessTokenInvalid, or RevocationsUnavailable while the set
   * cannot be trusted.
   */
  check(token: string): AccessClaims {
    const revocations = this.#d.revocations
    if (!revocations) throw new TypeError('AccessTokens.check needs a revocation set')
    const claims = this.verifySignature(token)
    revocations.assertActive(claims)
    return claims
  }

  // The verifier is built once per issuer: the issuer may change once, when the server learns its
  // listening address, and building a verifier per request would re-check its options every time.
  #verify(): Verifier {
    const issuer = this.#d.issuer()
    if (this.#verifier?.issuer !== issuer) {
      const verify = createVerifier({
        key: (header: Record<string, unknown>) => this.#d.keys.publicKey(header.kid),
        algorithms: ['ES256', 'EdDSA'],
        issuer,
        audience: [this.#d.audience, ...(this.#d.resources ?? [])],
        typ: 'at+jwt',
        // `sid` is checked by `verify` (client_credentials tokens have none).
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id'],
        clockTolerance: this.#d.clockSkew,
        clock: this.#d.clock,
        maxTokenLength: 8192,
        cache: { max: TOKEN_CACHE_MAX },
      })
      this.#verifier = { issuer, verify }
    }
    return this.#verifier.verify
  }
}
