/**
 * @module Checks a whole config once: ranges, formats, and the unsafe settings production mode refuses, each
 * failure a ConfigInvalid naming the flag (or variable) to change.
 */
import { ConfigInvalid } from '../errors.js'
import { flagOf } from './settings.js'
import type { ServerConfig } from './types.js'

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '')
  } catch {
    return false
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host)
}

export function validateConfig(c: ServerConfig): void {
  const fail = (key: keyof ServerConfig, message: string): never => {
    throw new ConfigInvalid(flagOf(key), message)
  }
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535)
    fail('port', 'must be 0..65535 (0 picks a free port)')
  if (!c.host) fail('host', 'must not be empty')
  if (!/^sqlite:.+/.test(c.database) && !/^postgres(ql)?:\/\//.test(c.database)) {
    fail('database', 'must be sqlite:<path> (e.g. sqlite:./data/tessera.db) or postgres://…')
  }
  if (/^postgres/.test(c.database) && c.secret === undefined)
    fail('secret', 'a shared PostgreSQL database needs TESSERA_SECRET, the same on every instance')
  if (c.cluster > 64) fail('cluster', 'must be at most 64 workers')
  if (c.cluster > 1 && /^sqlite:(:memory:)?$/.test(c.database))
    fail('cluster', 'workers cannot share an in-memory database: use a file or postgres://')
  if (c.redis !== undefined && !/^rediss?:\/\/./.test(c.redis))
    fail('redis', 'must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)')
  if (c.issuer !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(c.issuer)
    } catch {}
    // RFC 8414 §2: the issuer is an https URL with no query or fragment.
    if (!url || url.search || url.hash || !/^https?:$/.test(url.protocol)) {
      fail('issuer', 'must be an absolute http(s) URL without query or fragment')
    }
    // Tokens and discovery carry the issuer without its trailing slash; a client given the URL with one
    // under a path (…/tenant/) would compare it unequal (OIDC Discovery §4.3), so refuse it up front.
    if (url && url.pathname !== '/' && c.issuer.endsWith('/'))
      fail(
        'issuer',
        `write it without the trailing slash (${c.issuer.slice(0, -1)}), exactly as clients are given it`,
      )
  }
  if (!c.audience) fail('audience', 'must not be empty')
  for (const resource of c.resources) {
    // RFC 8707 §2: an absolute URI without a fragment.
    if (!URL.canParse(resource) || resource.includes('#'))
      fail(
        'resources',
        `"${resource}" is not an absolute URI without a fragment, like https://api.example.com`,
      )
  }
  if (c.signingAlg !== 'ES256' && c.signingAlg !== 'EdDSA') fail('signingAlg', 'must be ES256 or EdDSA')
  for (const alg of c.idTokenAlgs)
    if (!['RS256', 'ES256', 'EdDSA'].includes(alg))
      fail('idTokenAlgs', `"${alg}" is not one of RS256, ES256, EdDSA (never none)`)
  // OIDC Core §3.1.3.7 / Discovery §3: RS256 is the default every relying party may assume.
  if (!c.idTokenAlgs.includes('RS256')) fail('idTokenAlgs', 'must include RS256, the OpenID Connect default')
  if (c.accessTtl < 30 || c.accessTtl > 24 * 3600) fail('accessTtl', 'must be between 30s and 24h')
  if (c.refreshTtl < c.accessTtl || c.refreshTtl > 400 * 86400) {
    fail('refreshTtl', 'must be at least the access-token lifetime and at most 400d')
  }
  if (c.refreshIdleTtl < 60 || c.refreshIdleTtl > c.refreshTtl) {
    fail('refreshIdleTtl', 'must be at least 60s and at most --refresh-ttl')
  }
  if (c.refreshGrace > 60)
    fail('refreshGrace', 'must be at most 60s (a longer window lets a stolen token ride along)')
  if (c.jwksMaxAge < 0 || c.jwksMaxAge > 86400) fail('jwksMaxAge', 'must be between 0 and 24h')
  if (c.keyRotationInterval !== 0 && c.keyRotationInterval < 2 * c.jwksMaxAge + c.accessTtl) {
    fail('keyRotationInterval', 'must be 0 (manual) or longer than twice --jwks-max-age plus --access-ttl')
  }
  if (c.clockSkew > 300) fail('clockSkew', 'must be at most 5m')
  if (!['required', 'off'].includes(c.dpopNonce)) fail('dpopNonce', 'must be required or off')
  if (c.dpopProofMaxAge < 10 || c.dpopProofMaxAge > 600)
    fail('dpopProofMaxAge', 'must be between 10s and 10m (a longer window keeps captured proofs usable)')
  if (c.passwordMinLength < 8 || c.passwordMinLength > 64)
    fail('passwordMinLength', 'must be 8..64 (NIST SP 800-63B)')
  if (c.ipMaxFailures < 1) fail('ipMaxFailures', 'must be at least 1')
  if (c.registrationsPerIp < 1) fail('registrationsPerIp', 'must be at least 1')
  if (c.accountFreeFailures < 1) fail('accountFreeFailures', 'must be at least 1')
  if (c.bodyLimit < 1024 || c.bodyLimit > 1024 * 1024)
    fail('bodyLimit', 'must be between 1024 and 1048576 bytes')
  if (c.sessionIdleTtl < 60 || c.sessionIdleTtl > c.sessionTtl)
    fail('sessionIdleTtl', 'must be at least 60s and at most --session-ttl')
  if (c.sessionTtl > 30 * 86400) fail('sessionTtl', 'must be at most 30d')
  if (!['lax', 'strict', 'none'].includes(c.sessionSameSite))
    fail('sessionSameSite', 'must be lax, strict or none')
  if (c.sessionSameSite === 'none' && c.insecureCookies)
    fail('sessionSameSite', 'none needs Secure cookies: drop --insecure-cookies or use lax')
  if (c.dbBusyTimeout > 60_000) fail('dbBusyTimeout', 'must be at most 60000 ms')
  for (const origin of c.allowedOrigins) {
    if (!isOrigin(origin)) fail('allowedOrigins', `"${origin}" is not an origin like https://app.example.com`)
  }
  if (c.clients.length === 0) fail('clients', 'needs at least one client_id')
  for (const client of c.introspectionClients) {
    if (client.secret.length < 16)
      fail('introspectionClients', `the secret of "${client.id}" must be at least 16 characters`)
  }
  if (c.secret !== undefined && c.secret.length < 32)
    fail('secret', 'must be at least 32 characters (e.g. openssl rand -base64 32)')
  if (c.production) {
    if (c.secret === undefined)
      fail('secret', 'production mode needs TESSERA_SECRET to encrypt signing keys at rest')
    if (c.insecureCookies) fail('insecureCookies', 'production mode always sets Secure on cookies')
    if (c.demoUser) fail('demoUser', 'production mode never seeds the demo user')
    if (c.demoClients) fail('demoClients', 'production mode never registers the demo clients')
    if (c.issuer === undefined) fail('issuer', 'production mode needs a fixed public issuer URL')
    const issuer = new URL(c.issuer!)
    if (issuer.protocol !== 'https:' && !isLoopback(issuer.hostname))
      fail('issuer', 'must be https in production mode')
    if (c.accessTtl > 3600) fail('accessTtl', 'must be at most 1h in production mode')
    for (const origin of c.allowedOrigins) {
      if (origin.startsWith('http:') && !isLoopback(new URL(origin).hostname)) {
        fail('allowedOrigins', `"${origin}" must be https in production mode`)
      }
    }
  }
}
