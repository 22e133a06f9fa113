/**
 * @module Settings: flags over environment over defaults, spans, unknown flags, production refusals
 * that name the setting, and the masked print.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultConfig, describeConfig, loadConfig, parseServeArgs, settingsHelp } from '../src/index.js'

const SECRET = 'x'.repeat(40)

test('defaults: port 8080, sqlite under ./data, 15 min access tokens, 15 s grace, ES256, registration on', () => {
  const c = parseServeArgs([], {})
  assert.equal(c.port, 8080)
  assert.equal(c.host, '127.0.0.1')
  assert.equal(c.database, 'sqlite:./data/tessera.db')
  assert.equal(c.accessTtl, 900)
  assert.equal(c.refreshTtl, 30 * 86400)
  assert.equal(c.refreshGrace, 15)
  assert.equal(c.signingAlg, 'ES256')
  assert.equal(c.registration, true)
  assert.equal(c.demoUser, true)
  assert.equal(c.issuer, undefined)
})

test('flags win over TESSERA_* variables, which win over defaults', () => {
  const c = parseServeArgs(
    [
      '--port',
      '0',
      '--access-ttl=5m',
      '--no-registration',
      '--allowed-origins',
      'https://a.example,https://b.example',
    ],
    {
      TESSERA_PORT: '9000',
      TESSERA_ACCESS_TTL: '10m',
      TESSERA_REFRESH_GRACE: '30s',
      TESSERA_SIGNING_ALG: 'EdDSA',
    },
  )
  assert.equal(c.port, 0)
  assert.equal(c.accessTtl, 300)
  assert.equal(c.refreshGrace, 30)
  assert.equal(c.signingAlg, 'EdDSA')
  assert.equal(c.registration, false)
  assert.deepEqual(c.allowedOrigins, ['https://a.example', 'https://b.example'])
})

test('--introspection-client may repeat; TESSERA_SECRET comes only from the environment', () => {
  const c = parseServeArgs(
    ['--introspection-client', 'a:0123456789abcdef', '--introspection-client=b:fedcba9876543210'],
    {
      TESSERA_SECRET: SECRET,
    },
  )
  assert.deepEqual(
    c.introspectionClients.map((x) => x.id),
    ['a', 'b'],
  )
  assert.equal(c.secret, SECRET)
  assert.throws(() => parseServeArgs(['--secret', SECRET], {}), {
    code: 'ERR_CONFIG_INVALID',
    setting: '--secret',
  })
})

test('typos and bad values are errors naming the setting, never a silent default', () => {
  assert.throws(() => parseServeArgs(['--prot', '1'], {}), { code: 'ERR_CONFIG_INVALID', setting: '--prot' })
  assert.throws(() => parseServeArgs(['--access-ttl', '15 minutes'], {}), { setting: '--access-ttl' })
  assert.throws(() => parseServeArgs([], { TESSERA_PORT: 'eighty' }), { setting: 'TESSERA_PORT' })
  assert.throws(() => parseServeArgs(['--refresh-grace', '61s'], {}), { setting: '--refresh-grace' })
  assert.throws(() => parseServeArgs(['--signing-alg', 'HS256'], {}), { setting: '--signing-alg' })
  assert.throws(() => parseServeArgs(['--signing-alg', 'none'], {}), { setting: '--signing-alg' })
  assert.throws(() => parseServeArgs(['--allowed-origins', 'https://a.example/path'], {}), {
    setting: '--allowed-origins',
  })
  assert.throws(() => parseServeArgs(['--introspection-client', 'nosecret'], {}), {
    setting: '--introspection-client',
  })
  assert.throws(() => parseServeArgs(['--database', 'mysql://x'], {}), { setting: '--database' })
})

test('production mode refuses unsafe settings, naming each', () => {
  const safe = { production: true, secret: SECRET, issuer: 'https://auth.example.com', demoUser: false }
  assert.equal(loadConfig(safe).registration, false)
  assert.throws(() => loadConfig({ ...safe, secret: undefined }), { setting: 'TESSERA_SECRET' })
  assert.throws(() => loadConfig({ ...safe, issuer: undefined }), { setting: '--issuer' })
  assert.throws(() => loadConfig({ ...safe, issuer: 'http://auth.example.com' }), { setting: '--issuer' })
  assert.throws(() => loadConfig({ ...safe, insecureCookies: true }), { setting: '--insecure-cookies' })
  assert.throws(() => loadConfig({ ...safe, demoUser: true }), { setting: '--demo-user' })
  assert.throws(() => loadConfig({ ...safe, accessTtl: 7200 }), { setting: '--access-ttl' })
  assert.throws(() => loadConfig({ ...safe, secret: 'short' }), { setting: 'TESSERA_SECRET' })
  // Outside production, the same secret-less config is fine (a development secret is generated).
  assert.equal(loadConfig({ issuer: 'http://localhost:8080' }).production, false)
})

test('the printed config masks secrets', () => {
  const c = loadConfig({
    secret: SECRET,
    introspectionClients: [{ id: 'rs', secret: 'rs-secret-0123456789' }],
  })
  const printed = JSON.stringify(describeConfig(c))
  assert.equal(printed.includes(SECRET), false)
  assert.equal(printed.includes('rs-secret-0123456789'), false)
  assert.match(printed, /"rs:\*+"/)
  assert.match(printed, /"accessTtl":"15m"/)
})

test('every setting has one flag or variable: the table, the defaults and the printed config list the same keys', () => {
  const keys = Object.keys(defaultConfig()).sort()
  assert.deepEqual(Object.keys(describeConfig(loadConfig())).sort(), keys)
  const help = settingsHelp()
  assert.equal(help.length, keys.length)
  // Each flag spelled once, each variable named after it (TESSERA_SECRET is environment-only).
  const flags = help.map((h) => h.flag).filter((f) => f !== '(environment only)')
  assert.equal(new Set(flags).size, flags.length)
  for (const h of help) {
    if (h.flag === '(environment only)') assert.equal(h.env, 'TESSERA_SECRET')
    else assert.equal(h.env, `TESSERA_${h.flag.slice(2).toUpperCase().replace(/-/g, '_')}`)
  }
})
