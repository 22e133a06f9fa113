/**
 * @module The JWE suite's WebCrypto part: the same API from `src/webcrypto.ts` (crypto.subtle and
 * CompressionStream, as in browsers) for every alg × enc it supports, crossed with the Node entry both
 * ways; the RFC 7520 §5 examples; and the attacks whose defence lives in the backend (MAC before CBC,
 * the zip cap while inflating, small-order and off-curve ECDH points). What WebCrypto lacks is shown as
 * `[not supported]` and must fail with ERR_JOSE_NOT_SUPPORTED.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import { JWE_ALGORITHMS } from '../src/alg/jwe-algorithms.ts'
import { secretLength } from '../src/jwk/spec.ts'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { expectCode, readVector, text, utf8, VECTORS_DIR } from './support/vectors.ts'

type Jwk = node.JWK
const PLAINTEXT = 'the same API on both backends'

const pairs = new Map<string, Promise<{ privateJwk: Jwk; publicJwk: Jwk }>>()
function keyPair(alg: string, crv?: string) {
  const id = `${alg.startsWith('RSA') ? 'RSA' : 'EC'}/${crv ?? ''}`
  let pair = pairs.get(id)
  if (!pair) {
    pair = node.generateKeyPair(alg, { crv, extractable: true }).then(async ({ privateKey, publicKey }) => {
      const { alg: _a, ...privateJwk } = await node.exportJWK(privateKey)
      const { alg: _b, ...publicJwk } = await node.exportJWK(publicKey)
      return { privateJwk, publicJwk }
    })
    pairs.set(id, pair)
  }
  return pair
}

async function keysFor(
  alg: string,
  enc: string,
  crv?: string,
): Promise<{ encrypt: unknown; decrypt: unknown }> {
  if (alg === 'dir') {
    const secret = new Uint8Array(randomBytes(secretLength(enc)))
    return { encrypt: secret, decrypt: secret }
  }
  if (/^A\d{3}(GCM)?KW$/.test(alg)) {
    const secret = new Uint8Array(randomBytes(secretLength(alg)))
    return { encrypt: secret, decrypt: secret }
  }
  if (alg.startsWith('PBES2')) return { encrypt: 'a passphrase', decrypt: 'a passphrase' }
  const { privateJwk, publicJwk } = await keyPair(alg, crv)
  return { encrypt: publicJwk, decrypt: privateJwk }
}

describe('WebCrypto JWE: every alg × enc, crossed with the Node entry', () => {
  for (const alg of JWE_ALGORITHMS.alg) {
    const curves = alg.startsWith('ECDH-ES') ? ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] : [undefined]
    for (const crv of curves) {
      const encs = crv === undefined || crv === 'P-256' ? JWE_ALGORITHMS.enc : ['A256GCM']
      for (const enc of encs) {
        const supported = alg !== 'RSA1_5' && crv !== 'X448'
        const name = `${alg} ${enc}${crv ? ` ${crv}` : ''}${supported ? '' : ' [not supported]'}`
        const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] }
        test(name, async () => {
          if (alg === 'RSA1_5') {
            const { privateJwk } = await keyPair('RSA-OAEP')
            const token = `${node.encodeBase64url('{"alg":"RSA1_5","enc":"A128GCM"}')}.${node.encodeBase64url(randomBytes(256))}.${node.encodeBase64url(randomBytes(12))}.AA.${node.encodeBase64url(randomBytes(16))}`
            await expectCode(
              () =>
                webcrypto.compactDecrypt(token, privateJwk, {
                  keyManagementAlgorithms: ['RSA1_5'],
                  contentEncryptionAlgorithms: ['A128GCM'],
                }),
              'ERR_JOSE_NOT_SUPPORTED',
            )
            return
          }
          const keys = await keysFor(alg, enc, crv)
          const extra = alg.startsWith('PBES2') ? { p2c: 1000 } : {}
          if (!supported) {
            await expectCode(
              () => webcrypto.compactEncrypt(utf8(PLAINTEXT), keys.encrypt as Jwk, { alg, enc, ...extra }),
              'ERR_JOSE_NOT_SUPPORTED',
            )
            const fromNode = await node.compactEncrypt(utf8(PLAINTEXT), keys.encrypt as Jwk, { alg, enc })
            await expectCode(
              () => webcrypto.compactDecrypt(fromNode, keys.decrypt as Jwk, options),
              'ERR_JOSE_NOT_SUPPORTED',
            )
            return
          }
          const fromWeb = await webcrypto.compactEncrypt(utf8(PLAINTEXT), keys.encrypt as Jwk, {
            alg,
            enc,
            ...extra,
          })
          assert.equal(
            text((await node.compactDecrypt(fromWeb, keys.decrypt as Jwk, options)).plaintext),
            PLAINTEXT,
          )
          const fromNode = await node.compactEncrypt(utf8(PLAINTEXT), keys.encrypt as Jwk, {
            alg,
            enc,
            ...extra,
          })
          assert.equal(
            text((await webcrypto.compactDecrypt(fromNode, keys.decrypt as Jwk, options)).plaintext),
            PLAINTEXT,
          )
          // One bit changed in the ciphertext: refused on WebCrypto too.
          const parts = fromNode.split('.')
          const ciphertext = node.decodeBase64url(parts[3]!)!
          ciphertext[0]! ^= 1
          parts[3] = node.encodeBase64url(ciphertext)
          await expectCode(
            () => webcrypto.compactDecrypt(parts.join('.'), keys.decrypt as Jwk, options),
            'ERR_JWE_DECRYPTION_FAILED',
          )
        })
      }
    }
  }
})

describe('WebCrypto JWE: RFC 7520 §5 examples decrypt', () => {
  const files = readdirSync(new URL('rfc7520/jwe/', VECTORS_DIR)).filter((name) => name.endsWith('.json'))
  for (const file of files.sort()) {
    const vector = readVector(`rfc7520/jwe/${file}`)
    const id = file.split('.')[0]!.replace('_', '.')
    if (id === '5.13') continue
    const alg: string = vector.input.alg
    const enc: string = vector.encrypting_content.protected?.enc ?? vector.encrypting_content.unprotected?.enc
    const flat = vector.output.json_flat ?? vector.output.json
    const supported = alg !== 'RSA1_5'
    test(`${id} ${alg} ${enc} flattened JSON${supported ? '' : ' [not supported]'}`, async () => {
      const key = vector.input.pwd ?? vector.input.key
      const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] }
      if (!supported) {
        await expectCode(() => webcrypto.flattenedDecrypt(flat, key, options), 'ERR_JOSE_NOT_SUPPORTED')
        return
      }
      const { plaintext } = await webcrypto.flattenedDecrypt(flat, key, options)
      assert.equal(text(plaintext), vector.input.plaintext)
    })
  }
})

describe('WebCrypto JWE: the backend-level defences', () => {
  test('CBC padding oracle: a change to the first or the last ciphertext block fails alike (MAC checked before CBC)', async () => {
    const key = new Uint8Array(randomBytes(32))
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A128CBC-HS256'] }
    const jwe = await webcrypto.compactEncrypt(utf8('attack at dawn'), key, {
      alg: 'dir',
      enc: 'A128CBC-HS256',
    })
    const parts = jwe.split('.')
    const messages = []
    for (const position of [-1, 0]) {
      const ciphertext = node.decodeBase64url(parts[3]!)!
      ciphertext[position < 0 ? ciphertext.length - 1 : 0]! ^= 0x55
      const forged = [...parts]
      forged[3] = node.encodeBase64url(ciphertext)
      messages.push(
        (
          await expectCode(
            () => webcrypto.compactDecrypt(forged.join('.'), key, options),
            'ERR_JWE_DECRYPTION_FAILED',
          )
        ).message,
      )
    }
    assert.equal(messages[0], messages[1])
  })
  test('a zip bomb stops at the cap while inflating (ERR_JWE_DECOMPRESSION_LIMIT)', async () => {
    const key = new Uint8Array(randomBytes(32))
    const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
    const big = await webcrypto.compactEncrypt(new Uint8Array(1_000_000), key, {
      alg: 'dir',
      enc: 'A256GCM',
      zip: 'DEF',
    })
    await expectCode(() => webcrypto.compactDecrypt(big, key, options), 'ERR_JWE_DECOMPRESSION_LIMIT')
    const { plaintext } = await webcrypto.compactDecrypt(big, key, {
      ...options,
      maxDecompressedLength: 1_000_000,
    })
    assert.equal(plaintext.length, 1_000_000)
    // Node's zlib and the WebCrypto path agree on the format.
    const inflated = await node.compactDecrypt(big, key, { ...options, maxDecompressedLength: 1_000_000 })
    assert.equal(inflated.plaintext.length, 1_000_000)
  })
  test('small-order X25519 epk and an off-curve P-256 epk are refused (ERR_JWE_INVALID)', async () => {
    const options = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] }
    for (const crv of ['X25519', 'P-256']) {
      const { privateJwk, publicJwk } = await keyPair('ECDH-ES', crv)
      const jwe = await webcrypto.compactEncrypt(utf8('x'), publicJwk, { alg: 'ECDH-ES', enc: 'A256GCM' })
      const parts = jwe.split('.')
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString())
      if (crv === 'X25519') header.epk.x = node.encodeBase64url(new Uint8Array(32))
      else header.epk.y = node.encodeBase64url(randomBytes(32))
      parts[0] = node.encodeBase64url(JSON.stringify(header))
      await expectCode(
        () => webcrypto.compactDecrypt(parts.join('.'), privateJwk, options),
        'ERR_JWE_INVALID',
      )
    }
  })
  test('nested JWTs work on WebCrypto (sign then encrypt, and back)', async () => {
    const signing = await webcrypto.generateKeyPair('ES256')
    const key = new Uint8Array(randomBytes(32))
    const token = await webcrypto.signAndEncryptJWT(
      { sub: 'u1' },
      {
        signingKey: signing.privateKey,
        sign: { alg: 'ES256' },
        encryptionKey: key,
        encrypt: { alg: 'dir', enc: 'A256GCM' },
      },
    )
    const result = await webcrypto.decryptAndVerifyJWT(token, {
      decryptionKey: key,
      verificationKey: signing.publicKey,
      algorithms: ['ES256'],
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    assert.equal(result.payload.sub, 'u1')
  })
})
