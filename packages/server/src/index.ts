/**
 * @module The public surface of @tessera/server: re-exports only.
 */

export {
  addClient,
  listClients,
  type PublicClient,
  publicClient,
  removeClient,
  rotateClientSecret,
} from './admin/clients.js'
export { exportJwks, listKeys, rotateKeys } from './admin/keys.js'
export { addUser, disableUser, enableUser, listUsers, updateUser } from './admin/users.js'
export { type AppDeps, buildApp, type TesseraApp } from './app.js'
export { type Clock, type ManualClock, manualClock, systemClock } from './clock.js'
export { startCluster } from './cluster.js'
export { type MeasureOptions, measureComparison } from './compare/measure.js'
export type {
  ComparisonReport,
  LoadFigures,
  ModeReport,
  NotMeasured,
  TokenModeReport,
} from './compare/report.js'
export {
  type ClientCredential,
  defaultConfig,
  describeConfig,
  loadConfig,
  parseServeArgs,
  type ServerConfig,
  type SigningAlg,
  settingsHelp,
} from './config.js'
export * from './errors.js'
export { type HttpError, toHttpError } from './http/to-http-error.js'
export type { KeyInfo } from './keys/key-ring.js'
export { type RequireAuthOptions, requireAuth } from './middleware/require-auth.js'
export type { ResourceDPoPOptions } from './middleware/resource-dpop.js'
export {
  createRequestVerifier,
  type IncomingRequestLike,
  type RequestVerifier,
  type VerifiedRequest,
  type VerifyRequestOptions,
} from './middleware/verify-request.js'
export {
  type DemoClientCredentials,
  demoClientCredentials,
} from './oidc/clients/demo-clients.js'
export type { ClientRegistration } from './oidc/clients/registration.js'
export type { RevocationEvent } from './revocation/events.js'
export {
  type RevocationSubscriberOptions,
  type RevocationSubscription,
  subscribeRevocations,
} from './revocation/feed-subscriber.js'
export type { FeedStatus, RevocationCheck } from './revocation/revocation-feed.js'
export { type RunningServer, type StartOptions, startServer } from './server.js'
export { createServices, type ServiceDeps, type Services } from './services.js'
export { openSqlStore, openStore } from './store/open-store.js'
export { SqlStore } from './store/sql/sql-store.js'
export type * from './store/types.js'
export type { PublicUser } from './users/user-service.js'
