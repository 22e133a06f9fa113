/**
 * @module The public surface of @tessera/demo: the two relying-party apps, re-exported.
 */
export { LogoutTokenInvalid, logoutTokenVerifier } from './logout-token.js'
export { startNotesApp } from './notes/notes-app.js'
export type { DemoApp, DemoAppOptions } from './options.js'
export { SCOPE } from './options.js'
export { startPhotosApp } from './photos/photos-app.js'
