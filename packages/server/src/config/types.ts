/**
 * @module The shape of the server's settings: one `ServerConfig`, built once by `loadConfig` and frozen.
 */

export type SigningAlg = 'ES256' | 'EdDSA'
/** What an ID token may be signed with (OIDC Core §3.1.3.7: RS256 is the one every relying party may assume). */
export type IdTokenSigningAlg = 'RS256' | 'ES256' | 'EdDSA'

export interface ClientCredential {
  id: string
  secret: string
}

export interface ServerConfig {
  host: string
  /** 0 picks a free port. */
  port: number
  /** `sqlite:<path>` or `postgres://user@host/db[?schema=name&pool_max=10]`. */
  database: string
  /** Optional `redis://…` beside the database: sessions, counters, revocation list, key-rotation notices. */
  redis: string | undefined
  /** Worker processes sharing the port (node:cluster); 0 or 1: a single process. */
  cluster: number
  /** Fixed issuer; when undefined, the issuer follows the address the server really listens on. */
  issuer: string | undefined
  audience: string
  /** RFC 8707 resource indicators a client may name in `resource`: its access token's `aud` then. */
  resources: string[]
  /** Seconds. */
  accessTtl: number
  refreshTtl: number
  refreshIdleTtl: number
  refreshGrace: number
  signingAlg: SigningAlg
  /** The algorithms clients may register for ID tokens; RS256 always among them. The ring keeps a key of each. */
  idTokenAlgs: IdTokenSigningAlg[]
  /** Development: register the demo clients Notes and Photos at start (never in production). */
  demoClients: boolean
  /** Origins (scheme://host[:port]) allowed to send cookie-authenticated requests besides our own. */
  allowedOrigins: string[]
  production: boolean
  registration: boolean
  demoUser: boolean
  /** First-party public clients that may log in (client_id values). */
  clients: string[]
  /** Resource-server credentials for RFC 7662 introspection. */
  introspectionClients: ClientCredential[]
  /** TESSERA_SECRET: encrypts signing keys at rest and keys refresh-token HMACs. Env only, never a flag. */
  secret: string | undefined
  scope: string
  /** Cache-Control max-age of the JWKS, and so the lead time a new key is published before it signs. */
  jwksMaxAge: number
  /** A new signing key is made this often (0: only by command). */
  keyRotationInterval: number
  clockSkew: number
  /**
   * DPoP server nonces (RFC 9449 §8) at the token endpoints: `required` makes every proof carry a fresh
   * `DPoP-Nonce`; `off` (default) takes proofs without one.
   */
  dpopNonce: 'required' | 'off'
  /** Seconds a DPoP proof is accepted after its `iat` (plus `clockSkew`); its replay entry lives as long. */
  dpopProofMaxAge: number
  passwordMinLength: number
  /** Per-IP failed logins allowed within `ipWindow` before 429. */
  ipMaxFailures: number
  ipWindow: number
  /** Accounts one address may register within `ipWindow` before 429 (each costs an argon2id hash). */
  registrationsPerIp: number
  /** Failed logins for one account before exponential back-off starts. */
  accountFreeFailures: number
  accountMaxBackoff: number
  bodyLimit: number
  /** Milliseconds a write waits for another process's database lock before answering 503. */
  dbBusyTimeout: number
  /** Cookies without `Secure` (plain-HTTP development only; refused in production). */
  insecureCookies: boolean
  /** Session mode, seconds: a session unused this long ends (OWASP: 15-30 min). */
  sessionIdleTtl: number
  /** Session mode, seconds: a session ends this long after login however busy it is (OWASP: 4-8 h). */
  sessionTtl: number
  /** SameSite of the session cookie: lax (default), strict, or none (always with Secure). */
  sessionSameSite: 'lax' | 'strict' | 'none'
  trustProxy: boolean
  logLevel: string
  /** A directory of static files to serve at / (the built web app). */
  webRoot: string | undefined
}
