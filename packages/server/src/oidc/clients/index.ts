/** @module The client registry's public names. */

export { ClientRegistry, type ClientRegistryDeps, type RegisteredClient } from './client-registry.js'
export { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret.js'
export {
  type DemoClientCredentials,
  demoClientCredentials,
  demoClientRegistrations,
  NOTES_ORIGIN,
  PHOTOS_ORIGIN,
} from './demo-clients.js'
export { matchExactly, matchRedirectUri } from './redirect-uri.js'
export {
  type ClientRegistration,
  checkRegistration,
  DEFAULT_CLIENT_SCOPE,
  isLoopbackHost,
  type RegistrationPolicy,
} from './registration.js'
