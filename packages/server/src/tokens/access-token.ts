/**
 * @module Access tokens: RFC 9068 JWTs (`typ: at+jwt`) signed by the key ring, carrying `sid`, the refresh
 * family they came from; verified with one cached verifier, and at the issuer also against that family.
 */
import { randomBytes } from 'node:crypto'
import { createVerifier, type JWTPayload, type Verifier } from '@tessera/jose'
import type { Clock } from '../clock.js'
import { AccessTokenInvalid } from '../errors.js'
import type { KeyRing } from '../keys/key-ring.js'
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
  sid: string
}

export interface AccessTokenDeps {
  keys: KeyRing
  clock: Clock
  /** The issuer now (it may follow the real listening address). */
  issuer: () => string
  families: Pick<RefreshRepository, 'findFamily'>
  audience: string
  /** Seconds. */
  accessTtl: number
  clockSkew: number
}

export interface AccessGrant {
  userId: string
  familyId: string
  clientId: string
  scope: string
}

export class AccessTokens {
  readonly #d: AccessTokenDeps
  #verifier: { issuer: string; verify: Verifier } | undefined

  constructor(deps: AccessTokenDeps) {
    this.#d = deps
  }

  /** Signs an access token for `grant`, issued at `now` (ms). */
  sign(grant: AccessGrant, now: number): string {
    const iat = Math.floor(now / 1000)
    const claims: AccessClaims = {
      iss: this.#d.issuer(),
      sub: grant.userId,
      aud: this.#d.audience,
      exp: iat + this.#d.accessTtl,
      iat,
      jti: randomBytes(16).toString('base64url'),
      client_id: grant.clientId,
      scope: grant.scope,
      sid: grant.familyId,
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
    const family = await this.#d.families.findFamily(claims.sid)
    if (!family || family.revokedAt !== null)
      throw new AccessTokenInvalid('the session of this access token was ended')
    return { claims, family }
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
        audience: this.#d.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id', 'sid'],
        clockTolerance: this.#d.clockSkew,
        clock: this.#d.clock,
        maxTokenLength: 8192,
      })
      this.#verifier = { issuer, verify }
    }
    return this.#verifier.verify
  }
}
