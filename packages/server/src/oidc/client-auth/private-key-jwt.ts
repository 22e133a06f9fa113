/**
 * @module private_key_jwt (RFC 7523 §2.2, OIDC Core §9): a client proves itself with a JWT signed by a key
 * from its registered `jwks` or `jwks_uri`, through @tessera/jose's key sets. `iss` = `sub` = client_id,
 * `aud` names this issuer or the endpoint, `exp` is required and near (a captured assertion is worth
 * little), and each `jti` is accepted once until its `exp` (`store.replay.firstUse`, shared by instances).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJWT,
  type KeyCandidates,
  type RemoteJWKSet,
  verifyJWT,
} from '@tessera/jose'
import { ClientAuthFailed } from '../../errors.js'
import type { OAuthClientRecord, ReplayRepository } from '../../store/types.js'

/** An assertion may live at most this long from now: RFC 7523 leaves it to us; minutes, not hours. */
export const MAX_ASSERTION_LIFETIME_S = 300

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA']

export interface AssertionDeps {
  replay: ReplayRepository
  /** Seconds of leeway for `exp`, `nbf`, `iat`. */
  clockSkew: number
  /** Plain-http `jwks_uri` allowed (development only). */
  allowHttpJwksUri: boolean
}

type Resolver = (header: Record<string, unknown>) => KeyCandidates | Promise<KeyCandidates>

/** The client_id an assertion claims (its `iss`), read before any key is chosen; undefined when unreadable. */
export function assertionIssuer(assertion: string): string | undefined {
  try {
    const iss = decodeJWT(assertion).iss
    return typeof iss === 'string' ? iss : undefined
  } catch {
    return undefined
  }
}

export class ClientAssertions {
  readonly #d: AssertionDeps
  /** Key sets per client, rebuilt when the registration changes (updatedAt). */
  readonly #sets = new Map<string, { version: string; resolve: Resolver }>()

  constructor(deps: AssertionDeps) {
    this.#d = deps
  }

  /** Verifies `assertion` for `client`; `audiences` are the values its `aud` may name. */
  async verify(
    client: OAuthClientRecord,
    assertion: string,
    audiences: string[],
    now: number,
  ): Promise<void> {
    const resolve = this.#keySet(client)
    let payload: Record<string, unknown>
    try {
      payload = (
        await verifyJWT(assertion, resolve, {
          algorithms: ALGORITHMS,
          issuer: client.id,
          subject: client.id,
          audience: audiences,
          requiredClaims: ['exp', 'jti'],
          clockTolerance: this.#d.clockSkew,
          currentDate: new Date(now),
          maxTokenLength: 16_384,
        })
      ).payload
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      const reason =
        code === 'ERR_JWT_EXPIRED'
          ? 'it has expired'
          : code === 'ERR_JWT_CLAIM_INVALID'
            ? 'a claim is wrong (iss and sub must be the client_id, aud this issuer or endpoint; exp and jti are required)'
            : 'its signature does not verify with the client\u2019s registered keys'
      throw new ClientAuthFailed(`the client_assertion was refused: ${reason}`)
    }
    const exp = payload.exp as number
    if (exp * 1000 - now > (MAX_ASSERTION_LIFETIME_S + this.#d.clockSkew) * 1000)
      throw new ClientAuthFailed(
        `the client_assertion lives too long: exp may be at most ${MAX_ASSERTION_LIFETIME_S} s ahead`,
      )
    const jti = payload.jti
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256)
      throw new ClientAuthFailed('the client_assertion needs a jti of 1..256 characters')
    const first = await this.#d.replay.firstUse(`client-assertion:${client.id}:${jti}`, exp * 1000, now)
    if (!first) throw new ClientAuthFailed('this client_assertion was already used: make a new one (jti)')
  }

  #keySet(client: OAuthClientRecord): Resolver {
    const version = `${client.updatedAt}:${client.jwksUri ?? ''}`
    const cached = this.#sets.get(client.id)
    if (cached?.version === version) return cached.resolve
    let resolve: Resolver
    if (client.jwks !== null) {
      let parsed: unknown
      try {
        parsed = JSON.parse(client.jwks)
      } catch {
        throw new ClientAuthFailed('the client\u2019s registered jwks is not valid JSON: register it again')
      }
      resolve = createLocalJWKSet(parsed)
    } else if (client.jwksUri !== null) {
      const remote: RemoteJWKSet = createRemoteJWKSet(new URL(client.jwksUri), {
        allowHttp: this.#d.allowHttpJwksUri,
        timeoutDuration: 3000,
      })
      resolve = remote
    } else {
      throw new ClientAuthFailed('this client has no registered jwks or jwks_uri to check a client_assertion')
    }
    this.#sets.set(client.id, { version, resolve })
    return resolve
  }
}
