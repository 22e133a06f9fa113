export * from './errors.js'
export { createLoginSecrets, type LoginSecrets, s256Challenge } from './pkce.js'
