/**
 * @module @tessera/client: the browser SDK (tokens in memory, DPoP with a non-extractable key, one
 * refresh across tabs, no iframe).
 */
export { createClient, type LogoutOptions, type TesseraClient } from './client.js'
export * from './errors.js'
export type { ClientEventName, ClientEvents } from './events.js'
export type { UserClaims } from './id-token.js'
export type { LoginOptions } from './login.js'
export type { ClientOptions } from './options.js'
