/**
 * @module The default of every setting, development and production.
 */
import type { ServerConfig } from './types.js'

/** The defaults. `registration` and `demoUser` flip to false in production unless set. */
export function defaultConfig(production = false): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 8080,
    database: 'sqlite:./data/tessera.db',
    redis: undefined,
    cluster: 0,
    issuer: undefined,
    audience: 'tessera',
    resources: [],
    accessTtl: 15 * 60,
    refreshTtl: 30 * 86400,
    refreshIdleTtl: 7 * 86400,
    refreshGrace: 15,
    signingAlg: 'ES256',
    idTokenAlgs: ['RS256', 'ES256', 'EdDSA'],
    demoClients: !production,
    allowedOrigins: [],
    production,
    registration: !production,
    demoUser: !production,
    clients: ['tessera-web', 'tessera-cli'],
    introspectionClients: [],
    secret: undefined,
    scope: 'api',
    jwksMaxAge: 600,
    keyRotationInterval: 30 * 86400,
    clockSkew: 60,
    dpopNonce: 'off',
    // RFC 9449 §11.1 leaves the window to the server: long enough for a slow client, short enough that a
    // captured proof soon dies; 5 min with the 1 min skew.
    dpopProofMaxAge: 300,
    // NIST SP 800-63B rev 3 sets 8 as the floor, rev 4 asks 15 for a password used alone: 12 sits between,
    // and the bundled common-password list is what stops the short popular ones. Configurable, 8..64.
    passwordMinLength: 12,
    ipMaxFailures: 50,
    ipWindow: 15 * 60,
    registrationsPerIp: 10,
    accountFreeFailures: 5,
    accountMaxBackoff: 15 * 60,
    bodyLimit: 16 * 1024,
    dbBusyTimeout: 5000,
    insecureCookies: false,
    sessionIdleTtl: 30 * 60,
    sessionTtl: 8 * 3600,
    sessionSameSite: 'lax',
    trustProxy: false,
    logLevel: 'info',
    webRoot: undefined,
  }
}
