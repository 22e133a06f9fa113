/**
 * @module Each JWE attack issue 3 lists, as a named test showing the typed error we return. The
 * malicious inputs are built here, with node:crypto standing in for the attacker.
 */
import assert from 'node:assert/strict'
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { deflateRawSync } from 'node:zlib'
import type { JweBackend } from '../src/backend/jwe-types.ts'
import { nodeJweBackend } from '../src/backend/node/jwe.ts'
import { compactDecryptWith, compactEncryptWith } from '../src/jwe/compact.ts'
import {
  compactDecrypt,
  compactEncrypt,
  encodeBase64url,
  exportJWK,
  flattenedDecrypt,
  flattenedEncrypt,
  generalDecrypt,
  generalEncrypt,
  generateKeyPair,
  type JWK,
} from '../src/node.ts'
import { expectCode, text, utf8 } from './support/vectors.ts'

const b64 = (value: Uint8Array | string) => encodeBase64url(value)
const json = (value: unknown) => b64(JSON.stringify(value))
const DIR_A256GCM = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

/** The attacker's own A256GCM encryption under a chosen header, for a key they know (a `dir` key). */
function forgeDir(
  header: Record<string, unknown>,
  key: Uint8Array,
  plaintext: Uint8Array,
  ivLength = 12,
): string {
  const protectedSegment = json(header)
  const iv = randomBytes(ivLength)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(protectedSegment))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return `${protectedSegment}..${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`
}

/** Replaces the protected header of a compact JWE (the AAD no longer matches, but checks run first). */
function withHeader(jwe: string, change: (header: Record<string, unknown>) => void): string {
  const parts = jwe.split('.')
  const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString())
  change(header)
  parts[0] = json(header)
  return parts.join('.')
}

async function ecdhKeys(crv: string) {
  const { privateKey, publicKey } = await generateKeyPair('ECDH-ES', { crv, extractable: true })
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) }
}

describe('ECDH-ES: invalid-curve and small-order ephemeral keys', () => {
  const options = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] }
  test('invalid-curve attack: an epk point that is not on P-256 is refused (ERR_JWE_INVALID)', async () => {
    const { privateJwk, publicJwk } = await ecdhKeys('P-256')
    const jwe = await compactEncrypt(utf8('x'), publicJwk, { alg: 'ECDH-ES', enc: 'A256GCM' })
    const forged = withHeader(jwe, (header) => {
      const epk = header.epk as JWK
      // Same x, y + 1: off the curve (the point an invalid-curve attack would send to learn key bits).
      const y = Buffer.from(epk.y!, 'base64url')
      y[31] = y[31]! ^ 1
      epk.y = b64(y)
    })
    const error = await expectCode(() => compactDecrypt(forged, privateJwk, options), 'ERR_JWE_INVALID')
    assert.match(error.message, /not a valid point/)
  })
  test('an epk on another curve than the key (P-384 epk, P-256 key) is refused (ERR_JWE_INVALID)', async () => {
    const { privateJwk, publicJwk } = await ecdhKeys('P-256')
    const other = await ecdhKeys('P-384')
    const jwe = await compactEncrypt(utf8('x'), publicJwk, { alg: 'ECDH-ES', enc: 'A256GCM' })
    const forged = withHeader(jwe, (header) => {
      header.epk = other.publicJwk
    })
    const error = await expectCode(() => compactDecrypt(forged, privateJwk, options), 'ERR_JWE_INVALID')
    assert.match(error.message, /P-384.*P-256/)
  })
  test('an epk carrying a private part ("d") is refused (ERR_JWE_INVALID)', async () => {
    const { privateJwk, publicJwk } = await ecdhKeys('P-256')
    const jwe = await compactEncrypt(utf8('x'), publicJwk, { alg: 'ECDH-ES', enc: 'A256GCM' })
    const forged = withHeader(jwe, (header) => {
      header.epk = privateJwk
    })
    await expectCode(() => compactDecrypt(forged, privateJwk, options), 'ERR_JWE_INVALID')
  })
  // RFC 7748 §6.1 / the small-order points of Curve25519 (Bernstein's list): each gives an all-zero Z.
  const SMALL_ORDER = {
    'zero (order 1)': '0000000000000000000000000000000000000000000000000000000000000000',
    'one (order 1)': '0100000000000000000000000000000000000000000000000000000000000000',
    'order 8': 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    'order 8 (other)': '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'p - 1 (order 2)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  }
  for (const [name, point] of Object.entries(SMALL_ORDER)) {
    test(`small-order X25519 epk (${name}) is refused (ERR_JWE_INVALID)`, async () => {
      const { privateJwk, publicJwk } = await ecdhKeys('X25519')
      const jwe = await compactEncrypt(utf8('x'), publicJwk, { alg: 'ECDH-ES', enc: 'A256GCM' })
      const forged = withHeader(jwe, (header) => {
        header.epk = { kty: 'OKP', crv: 'X25519', x: b64(Buffer.from(point, 'hex')) }
      })
      const error = await expectCode(() => compactDecrypt(forged, privateJwk, options), 'ERR_JWE_INVALID')
      assert.match(error.message, /small order|not a valid point/)
    })
  }
})

describe('PBES2: iteration cap and salt', () => {
  const options = {
    keyManagementAlgorithms: ['PBES2-HS256+A128KW'],
    contentEncryptionAlgorithms: ['A128GCM'],
  }
  const password = 'correct horse battery staple'
  const make = () =>
    compactEncrypt(utf8('x'), password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 })
  test('a p2c above the default cap (10,000) is refused before any derivation (ERR_JWE_PBES2_COUNT_EXCEEDED)', async () => {
    const forged = withHeader(await make(), (header) => {
      header.p2c = 10_001
    })
    await expectCode(() => compactDecrypt(forged, password, options), 'ERR_JWE_PBES2_COUNT_EXCEEDED')
  })
  test('a p2c of 2^31 (hours of PBKDF2) is refused at once', async () => {
    const forged = withHeader(await make(), (header) => {
      header.p2c = 2 ** 31
    })
    await expectCode(() => compactDecrypt(forged, password, options), 'ERR_JWE_PBES2_COUNT_EXCEEDED')
  })
  test('the cap is configurable: maxPBES2Count 20,000 accepts p2c 15,000; 1,000 refuses the default 8,192', async () => {
    const jwe = await compactEncrypt(utf8('ok'), password, {
      alg: 'PBES2-HS256+A128KW',
      enc: 'A128GCM',
      p2c: 15_000,
    })
    await expectCode(() => compactDecrypt(jwe, password, options), 'ERR_JWE_PBES2_COUNT_EXCEEDED')
    const { plaintext } = await compactDecrypt(jwe, password, { ...options, maxPBES2Count: 20_000 })
    assert.equal(text(plaintext), 'ok')
    const standard = await compactEncrypt(utf8('x'), password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' })
    await expectCode(
      () => compactDecrypt(standard, password, { ...options, maxPBES2Count: 1000 }),
      'ERR_JWE_PBES2_COUNT_EXCEEDED',
    )
  })
  test('a missing p2s is refused (ERR_JWE_INVALID)', async () => {
    const forged = withHeader(await make(), (header) => {
      delete header.p2s
    })
    const error = await expectCode(() => compactDecrypt(forged, password, options), 'ERR_JWE_INVALID')
    assert.match(error.message, /p2s/)
  })
  test('a p2s shorter than 8 bytes is refused (ERR_JWE_INVALID, RFC 7518 §4.8.1.1)', async () => {
    const forged = withHeader(await make(), (header) => {
      header.p2s = b64(randomBytes(4))
    })
    const error = await expectCode(() => compactDecrypt(forged, password, options), 'ERR_JWE_INVALID')
    assert.match(error.message, /at least 8/)
  })
  test('the sender cannot make a short salt or a weak count either (ERR_JOSE_OPTION_INVALID)', async () => {
    await expectCode(
      () =>
        compactEncrypt(utf8('x'), password, {
          alg: 'PBES2-HS256+A128KW',
          enc: 'A128GCM',
          p2s: randomBytes(4),
        }),
      'ERR_JOSE_OPTION_INVALID',
    )
    await expectCode(
      () => compactEncrypt(utf8('x'), password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 10 }),
      'ERR_JOSE_OPTION_INVALID',
    )
  })
})

describe('zip: decompression bombs are capped while inflating', () => {
  const key = randomBytes(32)
  const bomb = (inflatedSize: number) => {
    const compressed = deflateRawSync(Buffer.alloc(inflatedSize), { level: 9 })
    return { jwe: forgeDir({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, key, compressed) }
  }
  test('a 150 MB bomb (a ~200 KB token) is refused at the default cap of 250,000 bytes (ERR_JWE_DECOMPRESSION_LIMIT)', async () => {
    const { jwe } = bomb(150 * 1024 * 1024)
    assert.ok(jwe.length < 256 * 1024, `the bomb fits the token size limit (${jwe.length} chars)`)
    const before = process.memoryUsage().arrayBuffers
    const error = await expectCode(() => compactDecrypt(jwe, key, DIR_A256GCM), 'ERR_JWE_DECOMPRESSION_LIMIT')
    const grown = process.memoryUsage().arrayBuffers - before
    // Inflating to the end would have allocated 150 MB; stopping at the cap leaves the heap as it was.
    assert.ok(grown < 16 * 1024 * 1024, `external memory grew by ${grown} bytes`)
    assert.match(error.message, /more than 250000 bytes/)
  })
  test('the inflated size never exceeds the cap: the backend stops at exactly maxLength', () => {
    const data = deflateRawSync(Buffer.alloc(1_000_000))
    assert.equal((nodeJweBackend.inflate(data, 1_000_000) as Uint8Array).length, 1_000_000)
    assert.throws(() => nodeJweBackend.inflate(data, 999_999), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' })
    // A cap far below the output: the error comes from inside zlib's loop, not from a size check afterwards.
    assert.throws(() => nodeJweBackend.inflate(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)), 1024), {
      code: 'ERR_JWE_DECOMPRESSION_LIMIT',
    })
  })
  test('maxDecompressedLength is configurable, and a plaintext of exactly the cap decrypts', async () => {
    const { jwe } = bomb(300_000)
    await expectCode(() => compactDecrypt(jwe, key, DIR_A256GCM), 'ERR_JWE_DECOMPRESSION_LIMIT')
    const { plaintext } = await compactDecrypt(jwe, key, { ...DIR_A256GCM, maxDecompressedLength: 300_000 })
    assert.equal(plaintext.length, 300_000)
    await expectCode(
      () => compactDecrypt(jwe, key, { ...DIR_A256GCM, maxDecompressedLength: 299_999 }),
      'ERR_JWE_DECOMPRESSION_LIMIT',
    )
  })
  test('zip outside the protected header is refused (ERR_JWE_INVALID), on decrypt and on encrypt', async () => {
    const jwe = await flattenedEncrypt(utf8('x'), key, { alg: 'dir', enc: 'A256GCM' })
    await expectCode(
      () => flattenedDecrypt({ ...jwe, unprotected: { zip: 'DEF' } }, key, DIR_A256GCM),
      'ERR_JWE_INVALID',
    )
    await expectCode(
      () => flattenedDecrypt({ ...jwe, header: { zip: 'DEF' } }, key, DIR_A256GCM),
      'ERR_JWE_INVALID',
    )
    await expectCode(
      () =>
        flattenedEncrypt(
          utf8('x'),
          key,
          { alg: 'dir', enc: 'A256GCM' },
          { unprotectedHeader: { zip: 'DEF' } },
        ),
      'ERR_JWE_INVALID',
    )
  })
  test('an unknown zip value is refused (ERR_JOSE_NOT_SUPPORTED)', async () => {
    const jwe = forgeDir({ alg: 'dir', enc: 'A256GCM', zip: 'GZIP' }, key, utf8('x'))
    await expectCode(() => compactDecrypt(jwe, key, DIR_A256GCM), 'ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('lengths: tags, IVs, CEKs and keys', () => {
  const key = randomBytes(32)
  const valid = () => compactEncrypt(utf8('hello'), key, { alg: 'dir', enc: 'A256GCM' })
  const replace = (jwe: string, index: number, value: string) => {
    const parts = jwe.split('.')
    parts[index] = value
    return parts.join('.')
  }
  test('a truncated GCM tag (12 of 16 bytes) is refused (ERR_JWE_INVALID)', async () => {
    const jwe = await valid()
    const tag = Buffer.from(jwe.split('.')[4]!, 'base64url')
    await expectCode(
      () => compactDecrypt(replace(jwe, 4, b64(tag.subarray(0, 12))), key, DIR_A256GCM),
      'ERR_JWE_INVALID',
    )
  })
  test('a GCM tag that is too long (17 bytes) is refused (ERR_JWE_INVALID)', async () => {
    const jwe = await valid()
    const tag = Buffer.concat([Buffer.from(jwe.split('.')[4]!, 'base64url'), Buffer.from([0])])
    await expectCode(() => compactDecrypt(replace(jwe, 4, b64(tag)), key, DIR_A256GCM), 'ERR_JWE_INVALID')
  })
  test('an IV of the wrong length (8 bytes for GCM) is refused (ERR_JWE_INVALID)', async () => {
    const forged = forgeDir({ alg: 'dir', enc: 'A256GCM' }, key, utf8('x'), 8)
    await expectCode(() => compactDecrypt(forged, key, DIR_A256GCM), 'ERR_JWE_INVALID')
  })
  test('a truncated CBC-HMAC tag (8 of 16 bytes) is refused (ERR_JWE_INVALID)', async () => {
    const cbcKey = randomBytes(32)
    const jwe = await compactEncrypt(utf8('x'), cbcKey, { alg: 'dir', enc: 'A128CBC-HS256' })
    const tag = Buffer.from(jwe.split('.')[4]!, 'base64url')
    await expectCode(
      () =>
        compactDecrypt(replace(jwe, 4, b64(tag.subarray(0, 8))), cbcKey, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A128CBC-HS256'],
        }),
      'ERR_JWE_INVALID',
    )
  })
  test('an unwrapped CEK of the wrong length for enc is refused like any wrong key (ERR_JWE_DECRYPTION_FAILED)', async () => {
    // The attacker (who knows the A128KW key here) wraps a 16-byte CEK into a token that says A256GCM.
    const kek = randomBytes(16)
    const cek = randomBytes(16)
    const wrap = createCipheriv('id-aes128-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'))
    const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()])
    const protectedSegment = json({ alg: 'A128KW', enc: 'A256GCM' })
    const jwe = `${protectedSegment}.${b64(encryptedKey)}.${b64(randomBytes(12))}.${b64(randomBytes(8))}.${b64(randomBytes(16))}`
    await expectCode(
      () =>
        compactDecrypt(jwe, kek, {
          keyManagementAlgorithms: ['A128KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })
  test('dir with a key of the wrong size for enc is refused (ERR_KEY_ALG_MISMATCH), both ways', async () => {
    await expectCode(
      () => compactEncrypt(utf8('x'), randomBytes(16), { alg: 'dir', enc: 'A256GCM' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    const jwe = await valid()
    await expectCode(() => compactDecrypt(jwe, randomBytes(16), DIR_A256GCM), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => compactDecrypt(jwe, randomBytes(64), DIR_A256GCM), 'ERR_KEY_ALG_MISMATCH')
  })
  test('A*KW / A*GCMKW with a key of the wrong size is refused (ERR_KEY_ALG_MISMATCH), both ways', async () => {
    for (const [alg, good] of [
      ['A128KW', 16],
      ['A192KW', 24],
      ['A256KW', 32],
      ['A128GCMKW', 16],
      ['A256GCMKW', 32],
    ] as const) {
      await expectCode(
        () => compactEncrypt(utf8('x'), randomBytes(good + 8), { alg, enc: 'A128GCM' }),
        'ERR_KEY_ALG_MISMATCH',
      )
      const kek = randomBytes(good)
      const jwe = await compactEncrypt(utf8('x'), kek, { alg, enc: 'A128GCM' })
      await expectCode(
        () =>
          compactDecrypt(jwe, randomBytes(good === 16 ? 32 : 16), {
            keyManagementAlgorithms: [alg],
            contentEncryptionAlgorithms: ['A128GCM'],
          }),
        'ERR_KEY_ALG_MISMATCH',
      )
    }
  })
  test('an RSA key under 2048 bits is refused (ERR_KEY_TOO_WEAK)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    await expectCode(
      () => compactEncrypt(utf8('x'), publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM' }),
      'ERR_KEY_TOO_WEAK',
    )
  })
})

describe('allow-lists: the decrypter chooses the algorithms', () => {
  const key = randomBytes(32)
  test('an alg outside keyManagementAlgorithms is refused before the key resolver runs (ERR_JOSE_ALG_NOT_ALLOWED)', async () => {
    const jwe = await compactEncrypt(utf8('x'), key, { alg: 'A256KW', enc: 'A256GCM' })
    let calls = 0
    const resolver = () => {
      calls++
      return key
    }
    await expectCode(
      () =>
        compactDecrypt(jwe, resolver, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    assert.equal(calls, 0)
  })
  test('an enc outside contentEncryptionAlgorithms is refused (ERR_JOSE_ALG_NOT_ALLOWED)', async () => {
    const jwe = await compactEncrypt(utf8('x'), key, { alg: 'A256KW', enc: 'A256GCM' })
    await expectCode(
      () =>
        compactDecrypt(jwe, key, {
          keyManagementAlgorithms: ['A256KW'],
          contentEncryptionAlgorithms: ['A128GCM'],
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })
  test('missing allow-lists are an error, never "accept anything" (ERR_JOSE_OPTION_INVALID)', async () => {
    const jwe = await compactEncrypt(utf8('x'), key, { alg: 'A256KW', enc: 'A256GCM' })
    await expectCode(() => compactDecrypt(jwe, key, {} as never), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(
      () => compactDecrypt(jwe, key, { keyManagementAlgorithms: ['A256KW'] }),
      'ERR_JOSE_OPTION_INVALID',
    )
  })
  test('RSA1_5 is refused by default, naming it deprecated (ERR_JOSE_ALG_NOT_ALLOWED)', async () => {
    const forged = `${json({ alg: 'RSA1_5', enc: 'A128GCM' })}.${b64(randomBytes(256))}.${b64(randomBytes(12))}.AA.${b64(randomBytes(16))}`
    const error = await expectCode(
      () =>
        compactDecrypt(forged, key, {
          keyManagementAlgorithms: ['RSA-OAEP-256'],
          contentEncryptionAlgorithms: ['A128GCM'],
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    assert.match(error.message, /deprecated/)
  })
  test('RSA1_5 opted in still cannot run on this Node (ERR_JOSE_NOT_SUPPORTED, CVE-2023-46809 in the message)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const forged = `${json({ alg: 'RSA1_5', enc: 'A128GCM' })}.${b64(randomBytes(256))}.${b64(randomBytes(12))}.AA.${b64(randomBytes(16))}`
    const error = await expectCode(
      () =>
        compactDecrypt(forged, privateKey, {
          keyManagementAlgorithms: ['RSA1_5'],
          contentEncryptionAlgorithms: ['A128GCM'],
        }),
      'ERR_JOSE_NOT_SUPPORTED',
    )
    assert.match(error.message, /CVE-2023-46809/)
  })
  test('a key bound to another alg is refused (ERR_KEY_ALG_MISMATCH)', async () => {
    const jwk: JWK = { kty: 'oct', k: b64(key), alg: 'A256GCMKW' }
    const jwe = await compactEncrypt(utf8('x'), key, { alg: 'A256KW', enc: 'A256GCM' })
    await expectCode(
      () =>
        compactDecrypt(jwe, jwk, {
          keyManagementAlgorithms: ['A256KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_KEY_ALG_MISMATCH',
    )
  })
  test('a string is a key only for PBES2 (ERR_KEY_INPUT_INVALID for dir)', async () => {
    await expectCode(
      () => compactEncrypt(utf8('x'), 'a'.repeat(32), { alg: 'dir', enc: 'A256GCM' }),
      'ERR_KEY_INPUT_INVALID',
    )
  })
})

describe('integrity: the protected header is AAD; CBC padding is never an oracle', () => {
  test('a tampered protected header (a kid added) fails decryption (ERR_JWE_DECRYPTION_FAILED)', async () => {
    const key = randomBytes(32)
    const jwe = await compactEncrypt(utf8('x'), key, { alg: 'dir', enc: 'A256GCM' })
    const forged = withHeader(jwe, (header) => {
      header.kid = 'attacker'
    })
    await expectCode(() => compactDecrypt(forged, key, DIR_A256GCM), 'ERR_JWE_DECRYPTION_FAILED')
  })
  test('a tampered AAD member of a flattened JWE fails decryption (ERR_JWE_DECRYPTION_FAILED)', async () => {
    const key = randomBytes(32)
    const jwe = await flattenedEncrypt(
      utf8('x'),
      key,
      { alg: 'dir', enc: 'A256GCM' },
      { aad: utf8('context') },
    )
    await expectCode(
      () => flattenedDecrypt({ ...jwe, aad: b64('Context') }, key, DIR_A256GCM),
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })
  test('CBC padding oracle (jose CVE-2021-29443): valid and invalid padding give the same error, and CBC never runs', async () => {
    // A backend that counts CBC decryptions: the MAC must be checked first, so a forged token never gets there.
    let cbcCalls = 0
    const counting: JweBackend = {
      ...nodeJweBackend,
      cbcDecrypt(k, iv, c) {
        cbcCalls++
        return nodeJweBackend.cbcDecrypt(k, iv, c)
      },
    }
    const options = { keyManagementAlgorithms: ['A128KW'], contentEncryptionAlgorithms: ['A128CBC-HS256'] }
    const kek = randomBytes(16)
    const cek = randomBytes(32)
    const iv = randomBytes(16)
    const jwe = compactEncryptWith(
      counting,
      utf8('attack at dawn'),
      kek,
      { alg: 'A128KW', enc: 'A128CBC-HS256' },
      { cek, iv },
    ) as string
    const parts = jwe.split('.')
    // (a) valid padding, wrong MAC: a different plaintext properly CBC-encrypted under the real ENC_KEY.
    const other = createCipheriv('aes-128-cbc', cek.subarray(16), iv)
    const validPadding = [...parts]
    validPadding[3] = b64(Buffer.concat([other.update('attack at dusk'), other.final()]))
    // (b) invalid padding: a block whose last plaintext byte is 0x00, which no PKCS#7 padding ends with.
    const raw = createCipheriv('aes-128-cbc', cek.subarray(16), iv).setAutoPadding(false)
    const badlyPadded = Buffer.concat([raw.update(Buffer.alloc(16, 0x41).fill(0, 15)), raw.final()])
    assert.throws(() => {
      const check = createDecipheriv('aes-128-cbc', cek.subarray(16), iv)
      Buffer.concat([check.update(badlyPadded), check.final()])
    }, 'the forged ciphertext must really have invalid padding')
    const invalidPadding = [...parts]
    invalidPadding[3] = b64(badlyPadded)
    const errors = []
    for (const forged of [validPadding.join('.'), invalidPadding.join('.')]) {
      errors.push(
        await expectCode(
          () => compactDecryptWith(counting, forged, kek, options),
          'ERR_JWE_DECRYPTION_FAILED',
        ),
      )
    }
    assert.equal(errors[0]!.message, errors[1]!.message)
    assert.equal(cbcCalls, 0, 'CBC decryption ran before the HMAC tag was verified')
    const { plaintext } = compactDecryptWith(counting, jwe, kek, options) as { plaintext: Uint8Array }
    assert.equal(text(plaintext), 'attack at dawn')
    assert.equal(cbcCalls, 1)
  })
})

describe('recipients: dir and ECDH-ES allow exactly one', () => {
  const key = randomBytes(32)
  test('generalEncrypt with two dir recipients is refused (ERR_JWE_INVALID)', async () => {
    await expectCode(
      () =>
        generalEncrypt(
          utf8('x'),
          [
            { key, header: { alg: 'dir' } },
            { key, header: { alg: 'dir' } },
          ],
          { enc: 'A256GCM' },
        ),
      'ERR_JWE_INVALID',
    )
  })
  test('generalEncrypt with ECDH-ES beside A256KW is refused (ERR_JWE_INVALID)', async () => {
    const { publicJwk } = await ecdhKeys('P-256')
    await expectCode(
      () =>
        generalEncrypt(
          utf8('x'),
          [
            { key: publicJwk, header: { alg: 'ECDH-ES' } },
            { key, header: { alg: 'A256KW' } },
          ],
          {
            enc: 'A256GCM',
          },
        ),
      'ERR_JWE_INVALID',
    )
  })
  test('a general JWE with a dir recipient among several is refused before decrypting (ERR_JWE_INVALID)', async () => {
    const jwe = await generalEncrypt(utf8('x'), [{ key, header: { alg: 'A256KW' } }], { enc: 'A256GCM' })
    const forged = { ...jwe, recipients: [{ header: { alg: 'dir' } }, ...jwe.recipients] }
    await expectCode(
      () =>
        generalDecrypt(forged, key, {
          keyManagementAlgorithms: ['dir', 'A256KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_JWE_INVALID',
    )
  })
  test('more than 16 recipients are refused (ERR_JWE_INVALID)', async () => {
    const jwe = await generalEncrypt(utf8('x'), [{ key, header: { alg: 'A256KW' } }], { enc: 'A256GCM' })
    const forged = { ...jwe, recipients: Array.from({ length: 17 }, () => jwe.recipients[0]!) }
    await expectCode(
      () =>
        generalDecrypt(forged, key, {
          keyManagementAlgorithms: ['A256KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_JWE_INVALID',
    )
  })
})

describe('size: megabyte ciphertexts are refused before any work', () => {
  const key = randomBytes(32)
  test('a 1 MB compact JWE is refused before parsing or key resolution (ERR_JOSE_INPUT_TOO_LARGE)', async () => {
    const forged = `${json({ alg: 'dir', enc: 'A256GCM' })}..${b64(randomBytes(12))}.${'A'.repeat(1024 * 1024)}.${b64(randomBytes(16))}`
    let calls = 0
    await expectCode(
      () =>
        compactDecrypt(
          forged,
          () => {
            calls++
            return key
          },
          DIR_A256GCM,
        ),
      'ERR_JOSE_INPUT_TOO_LARGE',
    )
    assert.equal(calls, 0)
  })
  test('a flattened JWE with a 1 MB ciphertext is refused (ERR_JOSE_INPUT_TOO_LARGE)', async () => {
    const jwe = await flattenedEncrypt(utf8('x'), key, { alg: 'dir', enc: 'A256GCM' })
    await expectCode(
      () => flattenedDecrypt({ ...jwe, ciphertext: 'A'.repeat(1024 * 1024) }, key, DIR_A256GCM),
      'ERR_JOSE_INPUT_TOO_LARGE',
    )
  })
  test('the limit is 256 KiB by default and configurable (maxTokenLength)', async () => {
    const big = await compactEncrypt(new Uint8Array(300 * 1024), key, { alg: 'dir', enc: 'A256GCM' })
    await expectCode(() => compactDecrypt(big, key, DIR_A256GCM), 'ERR_JOSE_INPUT_TOO_LARGE')
    const { plaintext } = await compactDecrypt(big, key, { ...DIR_A256GCM, maxTokenLength: 1024 * 1024 })
    assert.equal(plaintext.length, 300 * 1024)
  })
})
