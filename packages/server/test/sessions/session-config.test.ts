/**
 * @module Session-mode settings (flags and TESSERA_* variables, validated once) and the cookie policy
 * they produce: when Secure and the `__Host-` prefix apply, and when Secure may be left out.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig, parseServeArgs } from '../../src/index.js'
import { sessionCookiePolicy } from '../../src/sessions/session-cookie.js'

const SECRET = 'x'.repeat(32)

test('defaults after OWASP: 30 min idle, 8 h absolute, SameSite=Lax', () => {
  const config = loadConfig()
  assert.equal(config.sessionIdleTtl, 1800)
  assert.equal(config.sessionTtl, 8 * 3600)
  assert.equal(config.sessionSameSite, 'lax')
})

test('flags and TESSERA_* variables set them; the flag wins', () => {
  const config = parseServeArgs(['--session-ttl', '4h', '--session-same-site', 'strict'], {
    TESSERA_SESSION_IDLE_TTL: '15m',
    TESSERA_SESSION_TTL: '2h',
  })
  assert.equal(config.sessionIdleTtl, 900)
  assert.equal(config.sessionTtl, 4 * 3600)
  assert.equal(config.sessionSameSite, 'strict')
})

test('unsafe or impossible values are refused, naming the setting', () => {
  for (const [values, setting] of [
    [{ sessionIdleTtl: 10 }, '--session-idle-ttl'],
    [{ sessionIdleTtl: 9 * 3600 }, '--session-idle-ttl'],
    [{ sessionTtl: 31 * 86400 }, '--session-ttl'],
    [{ sessionSameSite: 'sometimes' as 'lax' }, '--session-same-site'],
    [{ sessionSameSite: 'none' as const, insecureCookies: true }, '--session-same-site'],
  ] as const) {
    assert.throws(() => loadConfig(values), { code: 'ERR_CONFIG_INVALID', setting })
  }
})

test('cookie policy: Secure is dropped only in development on plain-HTTP loopback or with --insecure-cookies', () => {
  const dev = loadConfig()
  assert.deepEqual(sessionCookiePolicy(dev, 'http://127.0.0.1:8080'), {
    name: 'tessera-session',
    secure: false,
    sameSite: 'lax',
    insecureReason: 'development mode on plain HTTP to a loopback address (127.0.0.1:8080)',
  })
  assert.equal(sessionCookiePolicy(dev, 'http://[::1]:8080').secure, false)
  assert.equal(sessionCookiePolicy(dev, 'http://localhost:8080').secure, false)
  // Plain HTTP to another host: Secure stays (the browser will not send it back, which is the point).
  assert.deepEqual(sessionCookiePolicy(dev, 'http://auth.example.test'), {
    name: 'tessera-session',
    secure: true,
    sameSite: 'lax',
  })
  assert.equal(sessionCookiePolicy(loadConfig({ insecureCookies: true }), 'https://a.example').secure, false)
  assert.deepEqual(sessionCookiePolicy(dev, 'https://auth.example.test'), {
    name: '__Host-tessera-session',
    secure: true,
    sameSite: 'lax',
  })
  const none = loadConfig({ sessionSameSite: 'none' })
  assert.equal(sessionCookiePolicy(none, 'http://127.0.0.1:8080').secure, true)
  const production = loadConfig({ production: true, secret: SECRET, issuer: 'http://127.0.0.1:8080' })
  assert.equal(sessionCookiePolicy(production, 'http://127.0.0.1:8080').secure, true)
})
