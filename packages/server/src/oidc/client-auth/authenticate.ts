/**
 * @module Client authentication at the token, revocation and introspection endpoints: reads the one
 * credential presented, finds the registered client, and checks the credential with the method the client
 * registered (`token_endpoint_auth_method`; any other method is refused, so a confidential client's id can
 * never be used as if it were public). Every failure is 401 `invalid_client`; secret guesses are throttled.
 */
import type { Clock } from '../../clock.js'
import { ClientAuthFailed } from '../../errors.js'
import type { OAuthClientRecord, Store } from '../../store/types.js'
import { type CredentialFields, presentedCredential } from './credentials.js'
import { assertionIssuer, ClientAssertions } from './private-key-jwt.js'
import type { ClientSecretThrottle } from './secret-throttle.js'

/** What client authentication needs of the client registry. */
export interface ClientLookup {
  find(id: string): Promise<OAuthClientRecord | undefined>
  /** Constant-time check of a presented secret against the stored keyed hash. */
  authenticateSecret(client: OAuthClientRecord, secret: string): boolean | Promise<boolean>
}

export interface ClientAuthDeps {
  store: Store
  clock: Clock
  clients: ClientLookup
  throttle: ClientSecretThrottle
  /** The issuer now. */
  issuer: () => string
  clockSkew: number
  allowHttpJwksUri: boolean
}

export interface ClientAuthRequest {
  authorization: string | undefined
  fields: CredentialFields
  ip: string | undefined
  /** The endpoint's full URL (an assertion's `aud` may name it). */
  endpoint: string
}

const FAILED = 'client authentication failed: unknown client or wrong credentials'

export class ClientAuthenticator {
  readonly #d: ClientAuthDeps
  readonly #assertions: ClientAssertions

  constructor(deps: ClientAuthDeps) {
    this.#d = deps
    this.#assertions = new ClientAssertions({
      replay: deps.store.replay,
      clockSkew: deps.clockSkew,
      allowHttpJwksUri: deps.allowHttpJwksUri,
    })
  }

  /** The authenticated client, or ClientAuthFailed / Throttled / RequestInvalid. */
  async authenticate(request: ClientAuthRequest): Promise<OAuthClientRecord> {
    const presented = presentedCredential(request.authorization, request.fields)
    const now = this.#d.clock()
    const clientId =
      presented.method === 'private_key_jwt'
        ? (presented.clientId ?? assertionIssuer(presented.assertion))
        : presented.clientId
    if (clientId === undefined) throw new ClientAuthFailed('the client_assertion names no client (iss)')
    if (presented.method === 'private_key_jwt' && presented.clientId !== undefined) {
      if (assertionIssuer(presented.assertion) !== presented.clientId)
        throw new ClientAuthFailed('the client_assertion was issued by another client than client_id')
    }
    const secretMethod =
      presented.method === 'client_secret_basic' || presented.method === 'client_secret_post'
    const counted = secretMethod && (await this.#d.throttle.check(clientId, request.ip, now))
    const client = await this.#d.clients.find(clientId)
    if (!client) {
      if (secretMethod) await this.#d.throttle.failure(undefined, request.ip, now)
      throw new ClientAuthFailed(FAILED)
    }
    if (client.tokenEndpointAuthMethod !== presented.method)
      throw new ClientAuthFailed(
        `this client is registered to authenticate with ${client.tokenEndpointAuthMethod}, not ${presented.method}`,
      )
    switch (presented.method) {
      case 'client_secret_basic':
      case 'client_secret_post': {
        if (!(await this.#d.clients.authenticateSecret(client, presented.secret))) {
          await this.#d.throttle.failure(client.id, request.ip, now)
          throw new ClientAuthFailed(FAILED)
        }
        if (counted) await this.#d.throttle.success(client.id)
        return client
      }
      case 'private_key_jwt': {
        const issuer = this.#d.issuer()
        const audiences = [...new Set([issuer, `${issuer}/token`, request.endpoint])]
        await this.#assertions.verify(client, presented.assertion, audiences, now)
        return client
      }
      case 'none':
        if (client.type !== 'public') throw new ClientAuthFailed(FAILED)
        return client
    }
  }
}
