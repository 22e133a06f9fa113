/**
 * @module Signing keys: encrypted at rest under TESSERA_SECRET (AES-256-GCM, kid as AAD), the development
 * secret generated once and reused, and the rotation schedule driven by a moved clock.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import {
  buildApp,
  createServices,
  exportJwks,
  listKeys,
  listUsers,
  loadConfig,
  manualClock,
  rotateKeys,
} from '../src/index.js'
import { decryptPrivateJwk, encryptPrivateJwk } from '../src/keys/key-encryption.js'
import { deriveSecrets } from '../src/keys/secret.js'
import { TEST_SECRET, tempDir } from './helpers/test-server.js'

test('private keys are stored encrypted: no "d" in the database, and the ciphertext is bound to its kid', async () => {
  const dir = tempDir()
  const config = loadConfig({ database: `sqlite:${join(dir, 'k.db')}`, secret: TEST_SECRET })
  const services = await createServices(config)
  await services.close()
  const db = new Database(join(dir, 'k.db'), { readonly: true })
  const rows = db
    .prepare('SELECT kid, alg, public_jwk, encrypted_private_jwk FROM signing_keys ORDER BY alg')
    .all() as Record<string, string>[]
  db.close()
  // One per algorithm in use: the access tokens' ES256, and the ID tokens' RS256, ES256 and EdDSA.
  assert.deepEqual(
    rows.map((r) => r.alg),
    ['ES256', 'EdDSA', 'RS256'],
  )
  const { keyEncryptionKey } = deriveSecrets(TEST_SECRET)
  for (const each of rows) {
    assert.equal('d' in JSON.parse(each.public_jwk!), false)
    assert.doesNotMatch(each.encrypted_private_jwk!, /"d"|kty/)
    assert.equal(
      typeof JSON.parse(decryptPrivateJwk(each.encrypted_private_jwk!, keyEncryptionKey, each.kid!)).d,
      'string',
    )
  }
  const row = rows[0]!
  assert.throws(() => decryptPrivateJwk(row.encrypted_private_jwk!, keyEncryptionKey, 'another-kid'), {
    code: 'ERR_KEYS_UNAVAILABLE',
  })
  assert.throws(
    () =>
      decryptPrivateJwk(
        row.encrypted_private_jwk!,
        deriveSecrets(`${TEST_SECRET}!`).keyEncryptionKey,
        row.kid!,
      ),
    {
      code: 'ERR_KEYS_UNAVAILABLE',
    },
  )
  const sealed = encryptPrivateJwk('{"a":1}', keyEncryptionKey, 'k')
  assert.notEqual(sealed, encryptPrivateJwk('{"a":1}', keyEncryptionKey, 'k'))
  rmSync(dir, { recursive: true, force: true })
})

test('outside production a missing TESSERA_SECRET is generated once (mode 0600) and reused', async () => {
  const dir = tempDir()
  const config = loadConfig({ database: `sqlite:${join(dir, 'dev.db')}` })
  const first = await createServices(config)
  assert.equal(first.secretSource.generatedAt, join(dir, 'tessera-secret'))
  const jwks = first.keys.jwks()
  await first.close()
  assert.equal(statSync(join(dir, 'tessera-secret')).mode & 0o777, 0o600)
  assert.ok(readFileSync(join(dir, 'tessera-secret'), 'utf8').trim().length >= 32)
  const second = await createServices(config)
  assert.equal(second.secretSource.fromFile, join(dir, 'tessera-secret'))
  assert.deepEqual(second.keys.jwks(), jwks)
  await second.close()
  rmSync(dir, { recursive: true, force: true })
})

test('the admin functions rotate, list and export keys for the CLI', async () => {
  const dir = tempDir()
  const config = loadConfig({
    database: `sqlite:${join(dir, 'admin.db')}`,
    secret: TEST_SECRET,
    idTokenAlgs: ['RS256'],
  })
  const before = await listKeys(config)
  assert.deepEqual(before.map((k) => [k.alg, k.status]).sort(), [
    ['ES256', 'signing'],
    ['RS256', 'signing'],
  ])
  const rotated = await rotateKeys(config)
  assert.deepEqual([rotated.alg, rotated.status], ['ES256', 'pending'])
  const after = await listKeys(config)
  // Every algorithm rotates together.
  assert.deepEqual(after.map((k) => `${k.alg} ${k.status}`).sort(), [
    'ES256 pending',
    'ES256 signing',
    'RS256 pending',
    'RS256 signing',
  ])
  const jwks = await exportJwks(config)
  assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set(after.map((k) => k.kid)))
  for (const key of jwks.keys) assert.equal('d' in key, false)
  rmSync(dir, { recursive: true, force: true })
})

test('the schedule publishes the next key jwksMaxAge before the interval ends, and retires the old one after', async () => {
  const dir = tempDir()
  const clock = manualClock(1_800_000_000_000)
  const day = 86_400_000
  const config = loadConfig({
    database: `sqlite:${join(dir, 's.db')}`,
    secret: TEST_SECRET,
    keyRotationInterval: 86400,
    signingAlg: 'EdDSA',
    idTokenAlgs: ['RS256', 'EdDSA'],
  })
  const s = await createServices(config, { clock })
  const eddsa = () => s.keys.list().filter((k) => k.alg === 'EdDSA')
  const [first] = eddsa()
  assert.equal(first!.alg, 'EdDSA')
  assert.equal(s.keys.list().length, 2, 'EdDSA for access and ID tokens, RS256 for ID tokens')
  clock.advance(day - 600_000 - 1)
  await s.keys.tick()
  assert.equal(s.keys.list().length, 2)
  clock.advance(1)
  await s.keys.tick()
  assert.equal(s.keys.list().length, 4, 'both algorithms rotate on the schedule')
  const [, next] = eddsa()
  assert.equal(next!.status, 'pending')
  assert.equal(Date.parse(next!.activatesAt), 1_800_000_000_000 + day)
  assert.equal(s.keys.sign({ sub: 'x' }).kid, first!.kid)
  clock.advance(600_000)
  assert.equal(s.keys.sign({ sub: 'x' }).kid, next!.kid)
  assert.equal(s.keys.jwks().keys.length, 4)
  clock.advance((900 + 60) * 1000)
  await s.keys.tick()
  const published = s.keys.jwks().keys
  assert.equal(published.length, 2)
  assert.ok(published.some((k) => k.kid === next!.kid))
  await s.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a changed --signing-alg rolls over at server start (with overlap), never from an admin command', async () => {
  const dir = tempDir()
  const base = {
    database: `sqlite:${join(dir, 'alg.db')}`,
    secret: TEST_SECRET,
    idTokenAlgs: ['RS256'] as ['RS256'],
  }
  await listKeys(loadConfig(base))
  await listUsers(loadConfig({ ...base, signingAlg: 'EdDSA' }))
  assert.deepEqual((await listKeys(loadConfig(base))).map((k) => k.alg).sort(), ['ES256', 'RS256'])
  const built = await buildApp(loadConfig({ ...base, signingAlg: 'EdDSA', logLevel: 'silent' }))
  const keys = built.services.keys.list()
  assert.deepEqual(keys.map((k) => [k.alg, k.status, k.retiresAt !== null]).sort(), [
    // The old access-token key signs until the new one starts, then retires; RS256 is untouched.
    ['ES256', 'signing', true],
    ['EdDSA', 'pending', false],
    ['RS256', 'signing', false],
  ])
  // Meanwhile access tokens are still signed by the published ES256 key.
  const signed = built.services.keys.sign({ sub: 'x' })
  assert.equal(signed.kid, keys.find((k) => k.alg === 'ES256')!.kid)
  await built.close()
  rmSync(dir, { recursive: true, force: true })
})
