/**
 * @module What every token operation reads: the store, the clock, the lifetimes, the clients and the
 * access-token signer, handed in once by the `TokenService` facade.
 */
import type { Clock } from '../clock.js'
import type { Store } from '../store/types.js'
import type { AccessTokens } from './access-token.js'
import type { Clients } from './clients.js'

export interface TokenPolicy {
  audience: string
  /** RFC 8707 resource indicators a client may ask an access token for. */
  resources?: readonly string[]
  /** Seconds. */
  accessTtl: number
  refreshTtl: number
  refreshIdleTtl: number
  refreshGrace: number
  clockSkew: number
  scope: string
  /** The configured first-party clients; the first is the default. */
  clients: readonly string[]
}

export interface TokenContext {
  store: Store
  clock: Clock
  policy: TokenPolicy
  refreshTokenKey: Buffer
  /** The issuer now (it may follow the real listening address). */
  issuer: () => string
  clients: Clients
  access: AccessTokens
}
