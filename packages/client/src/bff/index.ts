/**
 * @module `@tessera/client/bff`: the backend-for-frontend helper — the code flow on the server, tokens
 * kept there, a `__Host-` HttpOnly session cookie for the browser — as a framework-free core, a node:http
 * handler and a Fastify plugin.
 */
export { type Bff, createBff } from './create-bff.js'
export * from './errors.js'
export { type BffFastifyOptions, bffFastifyPlugin } from './fastify-plugin.js'
export type { BffRequest, BffResponse } from './http-types.js'
export { type BffNodeHandler, bffNodeHandler } from './node-handler.js'
export type { BffOptions, BffSettings } from './options.js'
export type { ProviderMetadata } from './provider.js'
export {
  type BffPendingSignIn,
  type BffSession,
  type BffSessionStore,
  MemorySessionStore,
  type MemorySessionStoreOptions,
} from './session-store.js'
