/**
 * @module The synchronous Node factories: `createEncrypter` / `createDecrypter` return values, not
 * promises (the Node pipeline never makes one), check their options when built, and refuse what the
 * async API refuses.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { compactDecrypt, createDecrypter, createEncrypter, exportJWK, generateKeyPair } from '../src/node.ts'
import { expectCodeSync, text, utf8 } from './support/vectors.ts'

describe('createEncrypter / createDecrypter', () => {
  test('dir A256GCM: both directions are synchronous and interoperate with compactDecrypt', async () => {
    const key = new Uint8Array(randomBytes(32))
    const encrypt = createEncrypter({ key, alg: 'dir', enc: 'A256GCM', kid: 'k1' })
    const decrypt = createDecrypter({
      key,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    const token = encrypt(utf8('hello'))
    assert.equal(typeof token, 'string')
    const result = decrypt(token)
    assert.ok(!(result instanceof Promise))
    assert.equal(text(result.plaintext), 'hello')
    assert.equal(result.protectedHeader.kid, 'k1')
    const opened = await compactDecrypt(token, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    assert.equal(text(opened.plaintext), 'hello')
  })
  test('ECDH-ES+A256KW on X25519 and PBES2 with a password, synchronously', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ECDH-ES+A256KW', {
      crv: 'X25519',
      extractable: true,
    })
    const encrypt = createEncrypter({
      key: await exportJWK(publicKey),
      alg: 'ECDH-ES+A256KW',
      enc: 'A128CBC-HS256',
    })
    const decrypt = createDecrypter({
      key: privateKey,
      keyManagementAlgorithms: ['ECDH-ES+A256KW'],
      contentEncryptionAlgorithms: ['A128CBC-HS256'],
    })
    assert.equal(text(decrypt(encrypt(utf8('x25519'))).plaintext), 'x25519')
    const sealPassword = createEncrypter({
      key: 'passphrase',
      alg: 'PBES2-HS256+A128KW',
      enc: 'A128GCM',
      p2c: 1000,
    })
    const openPassword = createDecrypter({
      key: 'passphrase',
      keyManagementAlgorithms: ['PBES2-HS256+A128KW'],
      contentEncryptionAlgorithms: ['A128GCM'],
    })
    assert.equal(text(openPassword(sealPassword(utf8('pw'))).plaintext), 'pw')
  })
  test('a misconfiguration fails when the factory is built, not per message', () => {
    expectCodeSync(
      () => createEncrypter({ key: new Uint8Array(16), alg: 'dir', enc: 'A256GCM' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    expectCodeSync(
      () => createEncrypter({ key: new Uint8Array(32), alg: 'dir', enc: 'A999GCM' }),
      'ERR_JOSE_NOT_SUPPORTED',
    )
    expectCodeSync(
      () => createDecrypter({ key: new Uint8Array(32), keyManagementAlgorithms: ['dir'] }),
      'ERR_JOSE_OPTION_INVALID',
    )
  })
  test('the decrypter refuses what compactDecrypt refuses (tampering, allow-lists)', () => {
    const key = new Uint8Array(randomBytes(32))
    const token = createEncrypter({ key, alg: 'A256KW', enc: 'A256GCM' })(utf8('x'))
    const onlyDir = createDecrypter({
      key,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    expectCodeSync(() => onlyDir(token), 'ERR_JOSE_ALG_NOT_ALLOWED')
    const decrypt = createDecrypter({
      key,
      keyManagementAlgorithms: ['A256KW'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    const parts = token.split('.')
    parts[3] = parts[3] === 'AA' ? 'AQ' : 'AA'
    expectCodeSync(() => decrypt(parts.join('.')), /ERR_JWE_(DECRYPTION_FAILED|INVALID)/)
  })
})
