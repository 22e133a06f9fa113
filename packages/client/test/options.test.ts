/**
 * @module `createClient`'s options are checked when the client is built: each bad setting is refused with
 * ERR_CLIENT_OPTION_INVALID naming it, and the defaults (scope with `openid`, DPoP on) are applied.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ClientOptionInvalid } from '../src/errors.js'
import { type ClientOptions, checkOptions } from '../src/options.js'

const GOOD: ClientOptions = {
  issuer: 'https://auth.example.com',
  clientId: 'spa',
  redirectUri: 'https://app.example.com/callback',
}

test('defaults: openid profile email offline_access, DPoP on; openid is added to a scope without it', () => {
  assert.deepEqual(checkOptions(GOOD), { ...GOOD, scope: 'openid profile email offline_access', dpop: true })
  assert.equal(checkOptions({ ...GOOD, scope: 'profile  api:read' }).scope, 'openid profile api:read')
  assert.equal(checkOptions({ ...GOOD, dpop: false }).dpop, false)
})

test('http: only on a loopback host (localhost, 127.0.0.1, [::1])', () => {
  for (const host of ['localhost:5173', '127.0.0.1:8080', '[::1]:3000'])
    assert.equal(checkOptions({ ...GOOD, redirectUri: `http://${host}/cb` }).redirectUri, `http://${host}/cb`)
})

const BAD: [string, Partial<ClientOptions> | Record<string, unknown>, RegExp][] = [
  ['issuer missing', { issuer: undefined }, /^issuer is required/],
  ['issuer not a URL', { issuer: 'auth.example.com' }, /^issuer must be an absolute URL/],
  ['issuer over plain http', { issuer: 'http://auth.example.com' }, /^issuer must use https:/],
  ['redirectUri with a fragment', { redirectUri: 'https://app.example.com/cb#x' }, /^redirectUri must not/],
  ['redirectUri javascript:', { redirectUri: 'javascript:alert(1)' }, /^redirectUri must use https:/],
  ['clientId empty', { clientId: '' }, /^clientId is required/],
  ['scope not a string', { scope: ['openid'] }, /^scope must be/],
  ['dpop not a boolean', { dpop: 'yes' }, /^dpop must be true or false/],
]

for (const [name, change, message] of BAD) {
  test(`refused: ${name}`, () => {
    assert.throws(
      () => checkOptions({ ...GOOD, ...change } as ClientOptions),
      (error: unknown) =>
        error instanceof ClientOptionInvalid &&
        error.code === 'ERR_CLIENT_OPTION_INVALID' &&
        message.test(error.message),
    )
  })
}
