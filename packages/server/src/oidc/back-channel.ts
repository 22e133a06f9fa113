/**
 * @module The back channel of the OpenID Connect provider, wired once per `Services`: client
 * authentication, the `/token` grants, ending provider sessions and the back-channel logout deliveries.
 * Routes and the session endpoints reach the same instance through `backChannel(services)`, and the
 * deliveries stop when the app closes (routes/oidc-token.ts registers that). Building it subscribes to
 * the sessions that end elsewhere (timeouts, log out everywhere, disable, refresh-token reuse), so each
 * goes through the same ending as a logout.
 */
import type { Services } from '../services.js'
import type { IdTokenAlg } from '../store/types.js'
import { ClientAuthenticator, type ClientLookup } from './client-auth/authenticate.js'
import { ClientSecretThrottle } from './client-auth/secret-throttle.js'
import type { ClaimsSigner } from './id-token.js'
import { BackchannelDeliveries } from './logout/deliveries.js'
import { type EndedSession, endAnnouncedSessions, endProviderSessions } from './logout/end-session.js'
import { signLogoutToken } from './logout/logout-token.js'
import type { GrantContext } from './token/token-context.js'

export interface BackChannel {
  clientAuth: ClientAuthenticator
  grants: GrantContext
  deliveries: BackchannelDeliveries
  /** Ends the provider session `sid` everywhere (see logout/end-session.ts). */
  endSession(sid: string): Promise<EndedSession>
}

const built = new WeakMap<Services, BackChannel>()

export function backChannel(services: Services): BackChannel {
  const existing = built.get(services)
  if (existing) return existing
  const { config, store, clock, keys, sessions } = services
  const sign: ClaimsSigner = (alg: IdTokenAlg, claims, typ) => keys.signWith(alg, claims, { typ }).token
  const clients: ClientLookup = services.clients
  const clientAuth = new ClientAuthenticator({
    store,
    clock,
    clients,
    throttle: new ClientSecretThrottle(store, {
      accountFreeFailures: config.accountFreeFailures,
      accountMaxBackoff: config.accountMaxBackoff,
      ipMaxFailures: config.ipMaxFailures,
      ipWindow: config.ipWindow,
    }),
    issuer: services.issuer,
    clockSkew: config.clockSkew,
    allowHttpJwksUri: !config.production,
  })
  const deliveries = new BackchannelDeliveries({
    store,
    clock,
    async token(record) {
      const client = await store.clients.find(record.clientId)
      if (!client) return undefined
      return signLogoutToken(sign, {
        issuer: services.issuer(),
        clientId: client.id,
        sub: record.sub,
        sid: record.sid,
        now: clock(),
        alg: client.idTokenSignedResponseAlg,
      })
    },
  })
  const endDeps = { store, clock, sessions, wake: () => deliveries.wake() }
  const channel: BackChannel = {
    clientAuth,
    grants: { tokens: services.tokens.context, sign, resources: config.resources },
    deliveries,
    endSession: (sid) => endProviderSessions(endDeps, { sid }),
  }
  // For as long as this store is in use: the subscription goes with the store.
  endAnnouncedSessions(endDeps)
  built.set(services, channel)
  return channel
}
