/**
 * @module The client registry without HTTP: secrets (random, stored as a keyed hash, checked in
 * constant time), redirect-URI matching (exact; loopback IPs may vary only the port), registration rules
 * (https outside loopback and development, no fragments, public means no secret, private_key_jwt needs
 * keys, never alg none), secret rotation and the development demo clients.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { manualClock, openStore, type Store } from '../../src/index.js'
import { deriveSecrets } from '../../src/keys/secret.js'
import { ClientRegistry } from '../../src/oidc/clients/client-registry.js'
import { hashClientSecret, verifyClientSecret } from '../../src/oidc/clients/client-secret.js'
import { demoClientCredentials } from '../../src/oidc/clients/demo-clients.js'
import { matchRedirectUri } from '../../src/oidc/clients/redirect-uri.js'
import type { ClientRegistration } from '../../src/oidc/clients/registration.js'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'

const key = deriveSecrets(TEST_SECRET).clientSecretKey
const ALGS = ['RS256', 'ES256', 'EdDSA'] as const
let dir: string
let store: Store
const clock = manualClock(1_800_000_000_000)
const registry = (development = false) =>
  new ClientRegistry({
    store,
    clock,
    secretKey: key,
    policy: { development, idTokenAlgs: ALGS },
    demoCredentials: demoClientCredentials(TEST_SECRET),
  })

before(async () => {
  dir = tempDir()
  store = await openStore(`sqlite:${join(dir, 'clients.db')}`)
})
after(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('client secrets', () => {
  test('the stored form is an HMAC under the derived key: right secret true, any other false', () => {
    const stored = hashClientSecret(key, 'a'.repeat(43))
    assert.match(stored, /^hmac-sha256:[A-Za-z0-9_-]{43}$/)
    assert.equal(verifyClientSecret(key, 'a'.repeat(43), stored), true)
    assert.equal(verifyClientSecret(key, `${'a'.repeat(42)}b`, stored), false)
    assert.equal(verifyClientSecret(key, '', stored), false)
    assert.equal(
      verifyClientSecret(deriveSecrets(`${TEST_SECRET}!`).clientSecretKey, 'a'.repeat(43), stored),
      false,
    )
    assert.equal(verifyClientSecret(key, 'a'.repeat(43), null), false, 'no stored secret: never true')
    assert.equal(verifyClientSecret(key, 'a'.repeat(43), 'hmac-sha256:short'), false)
  })
})

describe('redirect URIs', () => {
  const registered = [
    'https://app.example.com/cb',
    'http://127.0.0.1/cb?x=1',
    'http://[::1]:5000/native',
    'http://localhost:8082/callback',
  ]
  const cases: [string, boolean][] = [
    ['https://app.example.com/cb', true],
    ['https://app.example.com/cb/', false],
    ['https://app.example.com/cb/extra', false],
    ['https://app.example.com/cb?x=1', false],
    ['https://app.example.com/cb#f', false],
    ['https://app.example.com/CB', false],
    ['https://APP.example.com/cb', false],
    ['https://app.example.com:443/cb', false],
    ['https://app.example.com:8443/cb', false],
    ['https://app.example.com.evil.test/cb', false],
    ['http://app.example.com/cb', false],
    // RFC 8252 §7.3: loopback IP literals may vary the port, nothing else.
    ['http://127.0.0.1:51234/cb?x=1', true],
    ['http://127.0.0.1/cb?x=1', true],
    ['http://127.0.0.1:51234/cb?x=2', false],
    ['http://127.0.0.1:51234/cb', false],
    ['http://127.0.0.1:51234/cb?x=1#f', false],
    ['http://127.0.0.2:51234/cb?x=1', false],
    ['https://127.0.0.1:51234/cb?x=1', false],
    ['http://127.0.0.1:0/cb?x=1', false],
    ['http://127.0.0.1:70000/cb?x=1', false],
    ['http://[::1]:6000/native', true],
    ['http://[::1]/native', true],
    ['http://[::1]:6000/Native', false],
    ['http://127.0.0.1:6000/native', false],
    // `localhost` is a name, not a loopback IP: exact, port included.
    ['http://localhost:8082/callback', true],
    ['http://localhost:9999/callback', false],
  ]
  for (const [uri, expected] of cases)
    test(`${expected ? 'accepts' : 'refuses'} ${uri}`, () =>
      assert.equal(matchRedirectUri(registered, uri), expected))
})

describe('registration', () => {
  const base: ClientRegistration = { name: 'App', redirectUris: ['https://app.example.com/cb'] }

  test('a confidential client gets a 256-bit secret (once), client_secret_basic, RS256 and the default scopes', async () => {
    const { client, secret } = await registry().register(base)
    assert.match(secret ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.equal(client.tokenEndpointAuthMethod, 'client_secret_basic')
    assert.equal(client.idTokenSignedResponseAlg, 'RS256')
    assert.equal(client.scope, 'openid profile email offline_access')
    assert.deepEqual(client.grantTypes, ['authorization_code', 'refresh_token'])
    const stored = await store.clients.find(client.id)
    assert.equal(stored?.secretHash, client.secretHash)
    assert.equal(registry().authenticateSecret(stored!, secret!), true)
    assert.equal(registry().authenticateSecret(stored!, `${secret}x`), false)
  })

  test('a public client has no secret and authenticates with none', async () => {
    const { client, secret } = await registry().register({ ...base, type: 'public' })
    assert.equal(secret, undefined)
    assert.equal(client.secretHash, null)
    assert.equal(client.tokenEndpointAuthMethod, 'none')
    assert.equal(registry().authenticateSecret(client, ''), false)
  })

  test('private_key_jwt with a jwks_uri gets no secret', async () => {
    const { client, secret } = await registry().register({
      ...base,
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwksUri: 'https://app.example.com/jwks.json',
    })
    assert.equal(secret, undefined)
    assert.equal(client.jwksUri, 'https://app.example.com/jwks.json')
  })

  const refused: [string, ClientRegistration, RegExp][] = [
    ['a fragment', { ...base, redirectUris: ['https://app.example.com/cb#x'] }, /redirect_uris: .*fragment/],
    ['plain http off loopback', { ...base, redirectUris: ['http://app.example.com/cb'] }, /must use https/],
    ['not a URI', { ...base, redirectUris: ['/cb'] }, /not an absolute URI/],
    ['javascript:', { ...base, redirectUris: ['javascript:alert(1)'] }, /https/],
    ['credentials in the URI', { ...base, redirectUris: ['https://u:p@app.example.com/cb'] }, /credentials/],
    ['no redirect URI', { ...base, redirectUris: [] }, /redirect_uris: needs at least one/],
    [
      'public with a secret method',
      { ...base, type: 'public', tokenEndpointAuthMethod: 'client_secret_basic' },
      /must be none/,
    ],
    ['confidential with none', { ...base, tokenEndpointAuthMethod: 'none' }, /must authenticate/],
    [
      'private_key_jwt without keys',
      { ...base, tokenEndpointAuthMethod: 'private_key_jwt' },
      /needs the client keys/,
    ],
    [
      'private key material in jwks',
      { ...base, tokenEndpointAuthMethod: 'private_key_jwt', jwks: '{"keys":[{"kty":"oct","k":"AAAA"}]}' },
      /private or symmetric/,
    ],
    ['alg none', { ...base, idTokenSignedResponseAlg: 'none' as never }, /never none/],
    ['HS256', { ...base, idTokenSignedResponseAlg: 'HS256' as never }, /id_token_signed_response_alg/],
    [
      'public client_credentials',
      { ...base, type: 'public', grantTypes: ['client_credentials'] },
      /public client cannot/,
    ],
    ['an unknown grant', { ...base, grantTypes: ['password'] }, /grant_types/],
    ['a bad scope token', { ...base, scope: 'openid "quoted"' }, /scope/],
    ['an empty name', { ...base, name: ' ' }, /name/],
    [
      'http back-channel off loopback',
      { ...base, backchannelLogoutUri: 'http://app.example.com/bcl' },
      /backchannel_logout_uri/,
    ],
  ]
  for (const [what, input, message] of refused)
    test(`refuses ${what} with ERR_CLIENT_INVALID`, async () => {
      await assert.rejects(registry().register(input), { code: 'ERR_CLIENT_INVALID', message })
    })

  test('development allows plain http anywhere; production still allows loopback hosts', async () => {
    await registry(true).register({ ...base, redirectUris: ['http://app.test:3000/cb'] })
    await registry().register({ ...base, redirectUris: ['http://127.0.0.1:3000/cb', 'http://localhost/cb'] })
  })

  test('rotate-secret replaces the secret: the old stops working at once; removal forgets the client', async () => {
    const r = registry()
    const { client, secret } = await r.register(base)
    const rotated = await r.rotateSecret(client.id)
    const stored = (await store.clients.find(client.id))!
    assert.equal(r.authenticateSecret(stored, rotated.secret!), true)
    assert.equal(r.authenticateSecret(stored, secret!), false)
    await r.remove(client.id)
    assert.equal(await r.find(client.id), undefined)
    await assert.rejects(r.remove(client.id), { code: 'ERR_CLIENT_NOT_FOUND' })
    await assert.rejects(r.rotateSecret(client.id), { code: 'ERR_CLIENT_NOT_FOUND' })
  })
})

describe('demo clients', () => {
  test('registered once (idempotent), Notes with the secret derived from the development secret', async () => {
    const r = registry(true)
    assert.deepEqual((await r.ensureDemoClients()).sort(), ['notes', 'photos', 'tessera-flow'])
    assert.deepEqual(await r.ensureDemoClients(), [])
    const notes = (await r.find('notes'))!
    const photos = (await r.find('photos'))!
    const { notes: credentials } = demoClientCredentials(TEST_SECRET)
    assert.equal(r.authenticateSecret(notes, credentials.clientSecret), true)
    assert.notEqual(demoClientCredentials(`${TEST_SECRET}!`).notes.clientSecret, credentials.clientSecret)
    assert.deepEqual(notes.redirectUris, ['http://127.0.0.1:8081/callback'])
    assert.equal(notes.backchannelLogoutUri, 'http://127.0.0.1:8081/backchannel-logout')
    assert.deepEqual(notes.postLogoutRedirectUris, ['http://127.0.0.1:8081/'])
    assert.equal(photos.type, 'public')
    assert.deepEqual(photos.redirectUris, ['http://localhost:8082/callback'])
    assert.deepEqual(photos.postLogoutRedirectUris, ['http://localhost:8082/'])
  })

  test('without demo credentials (production) nothing is registered', async () => {
    const r = new ClientRegistry({
      store,
      clock,
      secretKey: key,
      policy: { development: false, idTokenAlgs: ALGS },
    })
    assert.deepEqual(await r.ensureDemoClients(), [])
  })
})
