/**
 * @module Encrypted JWTs: `encryptJWT` / `decryptJWT` with the same claim checks as `verifyJWT` (time is
 * a fixed `currentDate`, never the wall clock), and nested JWTs (sign, then encrypt, `cty: "JWT"`) both
 * ways, with jose as the other party. Decryption is not authentication: a nested token goes through
 * `decryptAndVerifyJWT` only, and an unsigned inner token is refused (pac4j CVE-2026-29000).
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import * as jose from 'jose'
import {
  compactEncrypt,
  decryptAndVerifyJWT,
  decryptJWT,
  encodeUnsecuredJWT,
  encryptJWT,
  exportJWK,
  generateKeyPair,
  signAndEncryptJWT,
  signJWT,
} from '../src/node.ts'
import { expectCode, utf8 } from './support/vectors.ts'

const NOW = new Date('2026-06-01T12:00:00Z')
const T = Math.floor(NOW.getTime() / 1000)
const key = new Uint8Array(randomBytes(32))
const DIR = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
const at = (seconds: number) => new Date((T + seconds) * 1000)

describe('encryptJWT / decryptJWT', () => {
  test('claims round-trip with the template claims (iat, exp, iss, aud, sub, jti)', async () => {
    const token = await encryptJWT({ role: 'admin' }, key, {
      alg: 'dir',
      enc: 'A256GCM',
      kid: 'k1',
      typ: 'JWT',
      expiresIn: '5m',
      issuer: 'https://issuer.example',
      audience: 'api',
      subject: 'u1',
      jti: true,
      currentDate: NOW,
    })
    assert.equal(token.split('.').length, 5)
    const { payload, protectedHeader } = await decryptJWT(token, key, {
      ...DIR,
      issuer: 'https://issuer.example',
      audience: 'api',
      subject: 'u1',
      typ: 'JWT',
      requiredClaims: ['jti'],
      currentDate: NOW,
    })
    assert.equal(payload.role, 'admin')
    assert.equal(payload.iat, T)
    assert.equal(payload.exp, T + 300)
    assert.equal(typeof payload.jti, 'string')
    assert.deepEqual(protectedHeader, { alg: 'dir', enc: 'A256GCM', kid: 'k1', typ: 'JWT' })
  })
  const make = (options: Record<string, unknown> = {}) =>
    encryptJWT({ sub: 'u1' }, key, { alg: 'dir', enc: 'A256GCM', currentDate: NOW, ...options })
  test('an expired token is refused (ERR_JWT_EXPIRED), and clockTolerance applies', async () => {
    const token = await make({ expiresIn: 60 })
    await expectCode(() => decryptJWT(token, key, { ...DIR, currentDate: at(60) }), 'ERR_JWT_EXPIRED')
    await decryptJWT(token, key, { ...DIR, currentDate: at(60), clockTolerance: '5s' })
  })
  test('a token not valid yet is refused (ERR_JWT_CLAIM_INVALID, nbf)', async () => {
    const token = await make({ notBefore: '1h' })
    const error = await expectCode(
      () => decryptJWT(token, key, { ...DIR, currentDate: NOW }),
      'ERR_JWT_CLAIM_INVALID',
    )
    assert.equal((error as unknown as { claim: string }).claim, 'nbf')
  })
  test('issuer, audience, subject, typ and maxTokenAge are checked as in verifyJWT', async () => {
    const token = await make({ issuer: 'a', audience: ['x', 'y'] })
    await expectCode(
      () => decryptJWT(token, key, { ...DIR, issuer: 'b', currentDate: NOW }),
      'ERR_JWT_CLAIM_INVALID',
    )
    await expectCode(
      () => decryptJWT(token, key, { ...DIR, audience: 'z', currentDate: NOW }),
      'ERR_JWT_CLAIM_INVALID',
    )
    await expectCode(
      () => decryptJWT(token, key, { ...DIR, subject: 'u2', currentDate: NOW }),
      'ERR_JWT_CLAIM_INVALID',
    )
    await expectCode(
      () => decryptJWT(token, key, { ...DIR, typ: 'at+jwt', currentDate: NOW }),
      'ERR_JWT_CLAIM_INVALID',
    )
    await expectCode(
      () => decryptJWT(token, key, { ...DIR, maxTokenAge: '1m', currentDate: at(120) }),
      'ERR_JWT_EXPIRED',
    )
    const { payload } = await decryptJWT(token, key, { ...DIR, issuer: 'a', audience: 'y', currentDate: NOW })
    assert.equal(payload.sub, 'u1')
  })
  test('a plaintext that is not a claims set is refused (ERR_JWT_INVALID)', async () => {
    const token = await compactEncrypt(utf8('[1,2,3]'), key, { alg: 'dir', enc: 'A256GCM' })
    await expectCode(() => decryptJWT(token, key, DIR), 'ERR_JWT_INVALID')
  })
  test('decryptJWT refuses a nested JWT (cty "JWT"), pointing to decryptAndVerifyJWT (ERR_JWT_INVALID)', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const token = await signAndEncryptJWT(
      { sub: 'u1' },
      {
        signingKey: privateKey,
        sign: { alg: 'ES256' },
        encryptionKey: key,
        encrypt: { alg: 'dir', enc: 'A256GCM' },
      },
    )
    const error = await expectCode(() => decryptJWT(token, key, DIR), 'ERR_JWT_INVALID')
    assert.match(error.message, /decryptAndVerifyJWT/)
  })
  test('decryptJWT refuses a plaintext that is a JWS even without cty (ERR_JWT_INVALID)', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const jws = await signJWT({ sub: 'u1' }, privateKey, { alg: 'ES256' })
    const token = await compactEncrypt(utf8(jws), key, { alg: 'dir', enc: 'A256GCM' })
    await expectCode(() => decryptJWT(token, key, DIR), 'ERR_JWT_INVALID')
  })
  test('encryptJWT → jose.jwtDecrypt, and jose.EncryptJWT → decryptJWT', async () => {
    const ours = await encryptJWT({ sub: 'u1' }, key, { alg: 'dir', enc: 'A256GCM', expiresIn: '1h' })
    const { payload } = await jose.jwtDecrypt(ours, key)
    assert.equal(payload.sub, 'u1')
    const theirs = await new jose.EncryptJWT({ sub: 'u2' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .encrypt(key)
    const opened = await decryptJWT(theirs, key, DIR)
    assert.equal(opened.payload.sub, 'u2')
  })
})

describe('nested JWTs: sign then encrypt', () => {
  const setup = async () => {
    const signing = await generateKeyPair('ES256', { extractable: true })
    const encryption = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true })
    return { signing, encryption }
  }
  const OPEN = {
    algorithms: ['ES256'],
    keyManagementAlgorithms: ['ECDH-ES+A256KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
  }
  test('signAndEncryptJWT → decryptAndVerifyJWT, with claims checked on the inner token', async () => {
    const { signing, encryption } = await setup()
    const token = await signAndEncryptJWT(
      { role: 'admin' },
      {
        signingKey: signing.privateKey,
        sign: { alg: 'ES256', kid: 's1', issuer: 'iss', expiresIn: '10m', currentDate: NOW },
        encryptionKey: encryption.publicKey,
        encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'e1' },
      },
    )
    const result = await decryptAndVerifyJWT(token, {
      decryptionKey: encryption.privateKey,
      verificationKey: signing.publicKey,
      ...OPEN,
      issuer: 'iss',
      currentDate: NOW,
    })
    assert.equal(result.payload.role, 'admin')
    assert.equal(result.protectedHeader.kid, 's1')
    assert.equal(result.encryptionHeader.cty, 'JWT')
    assert.equal(result.encryptionHeader.kid, 'e1')
    await expectCode(
      () =>
        decryptAndVerifyJWT(token, {
          decryptionKey: encryption.privateKey,
          verificationKey: signing.publicKey,
          ...OPEN,
          currentDate: at(601),
        }),
      'ERR_JWT_EXPIRED',
    )
  })
  test('a wrong verification key is refused (ERR_JWS_SIGNATURE_INVALID)', async () => {
    const { signing, encryption } = await setup()
    const other = await generateKeyPair('ES256')
    const token = await signAndEncryptJWT(
      { sub: 'u1' },
      {
        signingKey: signing.privateKey,
        sign: { alg: 'ES256' },
        encryptionKey: encryption.publicKey,
        encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
      },
    )
    await expectCode(
      () =>
        decryptAndVerifyJWT(token, {
          decryptionKey: encryption.privateKey,
          verificationKey: other.publicKey,
          ...OPEN,
        }),
      'ERR_JWS_SIGNATURE_INVALID',
    )
  })
  test('an unsigned inner JWT ("alg": "none") is refused (ERR_JOSE_ALG_NOT_ALLOWED, pac4j CVE-2026-29000)', async () => {
    const { signing, encryption } = await setup()
    const inner = encodeUnsecuredJWT({ sub: 'admin' })
    const token = await compactEncrypt(utf8(inner), encryption.publicKey, {
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      cty: 'JWT',
    })
    const error = await expectCode(
      () =>
        decryptAndVerifyJWT(token, {
          decryptionKey: encryption.privateKey,
          verificationKey: signing.publicKey,
          ...OPEN,
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    assert.match(error.message, /unsigned/)
  })
  test('decryptAndVerifyJWT refuses an encrypted-only JWT (ERR_JWT_INVALID)', async () => {
    const { signing, encryption } = await setup()
    const token = await encryptJWT({ sub: 'u1' }, encryption.publicKey, {
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
    })
    await expectCode(
      () =>
        decryptAndVerifyJWT(token, {
          decryptionKey: encryption.privateKey,
          verificationKey: signing.publicKey,
          ...OPEN,
        }),
      'ERR_JWT_INVALID',
    )
  })
  test('ours nested → jose (jwtDecrypt then jwtVerify); jose nested → ours', async () => {
    const { signing, encryption } = await setup()
    const joseKeys = {
      sign: await jose.importJWK((await exportJWK(signing.privateKey)) as jose.JWK, 'ES256'),
      verify: await jose.importJWK((await exportJWK(signing.publicKey)) as jose.JWK, 'ES256'),
      encrypt: await jose.importJWK((await exportJWK(encryption.publicKey)) as jose.JWK, 'ECDH-ES+A256KW'),
      decrypt: await jose.importJWK((await exportJWK(encryption.privateKey)) as jose.JWK, 'ECDH-ES+A256KW'),
    }
    const ours = await signAndEncryptJWT(
      { sub: 'u1' },
      {
        signingKey: signing.privateKey,
        sign: { alg: 'ES256' },
        encryptionKey: encryption.publicKey,
        encrypt: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
      },
    )
    const outer = await jose.compactDecrypt(ours, joseKeys.decrypt)
    assert.equal(outer.protectedHeader.cty, 'JWT')
    const inner = await jose.jwtVerify(new TextDecoder().decode(outer.plaintext), joseKeys.verify)
    assert.equal(inner.payload.sub, 'u1')

    const jws = await new jose.SignJWT({ sub: 'u2' }).setProtectedHeader({ alg: 'ES256' }).sign(joseKeys.sign)
    const theirs = await new jose.CompactEncrypt(utf8(jws))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(joseKeys.encrypt)
    const result = await decryptAndVerifyJWT(theirs, {
      decryptionKey: encryption.privateKey,
      verificationKey: signing.publicKey,
      ...OPEN,
    })
    assert.equal(result.payload.sub, 'u2')
  })
})
