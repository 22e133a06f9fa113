/**
 * @module The table of settings: each one's flag, its `TESSERA_*` variable and how its text is read. Flags,
 * environment, help and the printed config all come from this one list.
 */
import type { ServerConfig } from './types.js'

export type Kind = 'string' | 'int' | 'span' | 'bool' | 'list' | 'clients' | 'optional'

export interface Setting {
  key: keyof ServerConfig
  flag: string
  kind: Kind
  secret?: boolean
  /** Read from the environment only (secrets must not appear in `ps`). */
  envOnly?: boolean
  env?: string
}

export const SETTINGS: readonly Setting[] = [
  { key: 'host', flag: 'host', kind: 'string' },
  { key: 'port', flag: 'port', kind: 'int' },
  { key: 'database', flag: 'database', kind: 'string' },
  { key: 'redis', flag: 'redis', kind: 'optional' },
  { key: 'cluster', flag: 'cluster', kind: 'int' },
  { key: 'issuer', flag: 'issuer', kind: 'optional' },
  { key: 'audience', flag: 'audience', kind: 'string' },
  { key: 'resources', flag: 'resource', kind: 'list' },
  { key: 'accessTtl', flag: 'access-ttl', kind: 'span' },
  { key: 'refreshTtl', flag: 'refresh-ttl', kind: 'span' },
  { key: 'refreshIdleTtl', flag: 'refresh-idle-ttl', kind: 'span' },
  { key: 'refreshGrace', flag: 'refresh-grace', kind: 'span' },
  { key: 'signingAlg', flag: 'signing-alg', kind: 'string' },
  { key: 'idTokenAlgs', flag: 'id-token-algs', kind: 'list' },
  { key: 'demoClients', flag: 'demo-clients', kind: 'bool' },
  { key: 'allowedOrigins', flag: 'allowed-origins', kind: 'list' },
  { key: 'production', flag: 'production', kind: 'bool' },
  { key: 'registration', flag: 'registration', kind: 'bool' },
  { key: 'demoUser', flag: 'demo-user', kind: 'bool' },
  { key: 'clients', flag: 'clients', kind: 'list' },
  { key: 'introspectionClients', flag: 'introspection-client', kind: 'clients', secret: true },
  { key: 'secret', flag: 'secret', kind: 'optional', secret: true, envOnly: true, env: 'TESSERA_SECRET' },
  { key: 'scope', flag: 'scope', kind: 'string' },
  { key: 'jwksMaxAge', flag: 'jwks-max-age', kind: 'span' },
  { key: 'keyRotationInterval', flag: 'key-rotation-interval', kind: 'span' },
  { key: 'clockSkew', flag: 'clock-skew', kind: 'span' },
  { key: 'dpopNonce', flag: 'dpop-nonce', kind: 'string' },
  { key: 'dpopProofMaxAge', flag: 'dpop-proof-max-age', kind: 'span' },
  { key: 'passwordMinLength', flag: 'password-min-length', kind: 'int' },
  { key: 'ipMaxFailures', flag: 'ip-max-failures', kind: 'int' },
  { key: 'ipWindow', flag: 'ip-window', kind: 'span' },
  { key: 'registrationsPerIp', flag: 'registrations-per-ip', kind: 'int' },
  { key: 'accountFreeFailures', flag: 'account-free-failures', kind: 'int' },
  { key: 'accountMaxBackoff', flag: 'account-max-backoff', kind: 'span' },
  { key: 'bodyLimit', flag: 'body-limit', kind: 'int' },
  { key: 'dbBusyTimeout', flag: 'db-busy-timeout', kind: 'int' },
  { key: 'insecureCookies', flag: 'insecure-cookies', kind: 'bool' },
  { key: 'sessionIdleTtl', flag: 'session-idle-ttl', kind: 'span' },
  { key: 'sessionTtl', flag: 'session-ttl', kind: 'span' },
  { key: 'sessionSameSite', flag: 'session-same-site', kind: 'string' },
  { key: 'trustProxy', flag: 'trust-proxy', kind: 'bool' },
  { key: 'logLevel', flag: 'log-level', kind: 'string' },
  { key: 'webRoot', flag: 'web-root', kind: 'optional' },
]

export function envName(setting: Setting): string {
  return setting.env ?? `TESSERA_${setting.flag.toUpperCase().replace(/-/g, '_')}`
}

/** How a person sets `key`: its flag, or its variable when it is environment-only. */
export function flagOf(key: keyof ServerConfig): string {
  const setting = SETTINGS.find((s) => s.key === key)!
  return setting.envOnly ? envName(setting) : `--${setting.flag}`
}
