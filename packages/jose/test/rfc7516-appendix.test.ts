/**
 * @module RFC 7516 Appendix A (A.1 RSA-OAEP + A256GCM, A.2 RSA1_5 + A128CBC-HS256, A.3 A128KW +
 * A128CBC-HS256), RFC 7518 Appendix B (AES_CBC_HMAC_SHA2 test cases B.1-B.3) and Appendix C (ECDH-ES
 * key agreement), their values written here from the RFC text. Where the RFC fixes the CEK and IV, the
 * content is re-encrypted byte-for-byte through our pipeline.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { contentEncryptionAlgorithm } from '../src/alg/jwe-algorithms.ts'
import { nodeJweBackend } from '../src/backend/node/jwe.ts'
import { compactEncryptWith } from '../src/jwe/compact.ts'
import { concatKdf } from '../src/jwe/concat-kdf.ts'
import { cbcHmacDecrypt, cbcHmacEncrypt } from '../src/jwe/content-cbc-hmac.ts'
import { flattenedEncryptWith } from '../src/jwe/flattened.ts'
import { compactDecrypt, type JWK } from '../src/node.ts'
import { expectCode, text, utf8 } from './support/vectors.ts'

const hex = (value: string) => new Uint8Array(Buffer.from(value, 'hex'))
const bytes = (values: number[]) => Uint8Array.from(values)
const toHex = (value: Uint8Array) => Buffer.from(value).toString('hex')

// RFC 7516 A.1: RSA key (A.1.4) and the fixed CEK (A.1.2) and IV (A.1.4).
const A1_KEY: JWK = {
  kty: 'RSA',
  n: 'oahUIoWw0K0usKNuOR6H4wkf4oBUXHTxRvgb48E-BVvxkeDNjbC4he8rUWcJoZmds2h7M70imEVhRU5djINXtqllXI4DFqcI1DgjT9LewND8MW2Krf3Spsk_ZkoFnilakGygTwpZ3uesH-PFABNIUYpOiN15dsQRkgr0vEhxN92i2asbOenSZeyaxziK72UwxrrKoExv6kc5twXTq4h-QChLOln0_mtUZwfsRaMStPs6mS6XrgxnxbWhojf663tuEQueGC-FCMfra36C9knDFGzKsNa7LZK2djYgyD3JR_MB_4NUJW_TqOQtwHYbxevoJArm-L5StowjzGy-_bq6Gw',
  e: 'AQAB',
  d: 'kLdtIj6GbDks_ApCSTYQtelcNttlKiOyPzMrXHeI-yk1F7-kpDxY4-WY5NWV5KntaEeXS1j82E375xxhWMHXyvjYecPT9fpwR_M9gV8n9Hrh2anTpTD93Dt62ypW3yDsJzBnTnrYu1iwWRgBKrEYY46qAZIrA2xAwnm2X7uGR1hghkqDp0Vqj3kbSCz1XyfCs6_LehBwtxHIyh8Ripy40p24moOAbgxVw3rxT_vlt3UVe4WO3JkJOzlpUf-KTVI2Ptgm-dARxTEtE-id-4OJr0h-K-VFs3VSndVTIznSxfyrj8ILL6MG_Uv8YAu7VILSB3lOW085-4qE3DzgrTjgyQ',
  p: '1r52Xk46c-LsfB5P442p7atdPUrxQSy4mti_tZI3Mgf2EuFVbUoDBvaRQ-SWxkbkmoEzL7JXroSBjSrK3YIQgYdMgyAEPTPjXv_hI2_1eTSPVZfzL0lffNn03IXqWF5MDFuoUYE0hzb2vhrlN_rKrbfDIwUbTrjjgieRbwC6Cl0',
  q: 'wLb35x7hmQWZsWJmB_vle87ihgZ19S8lBEROLIsZG4ayZVe9Hi9gDVCOBmUDdaDYVTSNx_8Fyw1YYa9XGrGnDew00J28cRUoeBB_jKI1oma0Orv1T9aXIWxKwd4gvxFImOWr3QRL9KEBRzk2RatUBnmDZJTIAfwTs0g68UZHvtc',
  dp: 'ZK-YwE7diUh0qR1tR7w8WHtolDx3MZ_OTowiFvgfeQ3SiresXjm9gZ5KLhMXvo-uz-KUJWDxS5pFQ_M0evdo1dKiRTjVw_x4NyqyXPM5nULPkcpU827rnpZzAJKpdhWAgqrXGKAECQH0Xt4taznjnd_zVpAmZZq60WPMBMfKcuE',
  dq: 'Dq0gfgJ1DdFGXiLvQEZnuKEN0UUmsJBxkjydc3j4ZYdBiMRAy86x0vHCjywcMlYYg4yoC4YZa9hNVcsjqA3FeiL19rk8g6Qn29Tt0cj8qqyFpz9vNDBUfCAiJVeESOjJDZPYHdHY8v1b-o-Z2X5tvLx-TCekf7oxyeKDUqKWjis',
  qi: 'VIMpMYbPf47dT1w_zDUXfPimsSegnMOA1zTaX7aGk_8urY6R8-ZW1FxU7AlWAyLWybqq6t16VFd7hQd0y6flUK4SlOydB61gwanOsXGOAOv82cHq0E3eL4HrtZkUuKvnPrMnsUUFlfUdybVzxyjz9JF_XyaY14ardLSjf4L_FNY',
}
const A1_PLAINTEXT = 'The true sign of intelligence is not knowledge but imagination.'
const A1_CEK = bytes([
  177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246, 138, 7, 110, 91, 112, 46, 34,
  105, 47, 130, 203, 46, 122, 234, 64, 252,
])
const A1_IV = bytes([227, 197, 117, 252, 2, 219, 233, 68, 180, 225, 77, 219])
// A.1.7: the complete compact serialization.
const A1_JWE =
  'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.' +
  'OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.' +
  '48V1_ALb6US04U3b.' +
  '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.' +
  'XFBoMYUZodetZdvTiFvSkQ'

// RFC 7516 A.2 and A.3 share the plaintext, the CEK (A.2.2 / A.3.2) and the IV (A.2.4 / A.3.4).
const LIVE_LONG = 'Live long and prosper.'
const A3_CEK = bytes([
  4, 211, 31, 197, 84, 157, 252, 254, 11, 100, 157, 250, 63, 170, 106, 206, 107, 124, 212, 45, 111, 107, 9,
  219, 200, 177, 0, 240, 143, 156, 44, 207,
])
const A3_IV = bytes([3, 22, 60, 12, 43, 67, 104, 105, 108, 108, 105, 99, 111, 116, 104, 101])
const A3_KEY: JWK = { kty: 'oct', k: 'GawgguFyGrWKav7AX4VKUg' }
// A.3.7
const A3_JWE =
  'eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.' +
  '6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.' +
  'AxY8DCtDaGlsbGljb3RoZQ.' +
  'KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.' +
  'U0m_YmjN04DJvceFICbCVQ'

describe('RFC 7516 Appendix A', () => {
  test('A.1 RSA-OAEP A256GCM: the compact JWE decrypts', async () => {
    const { plaintext } = await compactDecrypt(A1_JWE, A1_KEY, {
      keyManagementAlgorithms: ['RSA-OAEP'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    assert.equal(text(plaintext), A1_PLAINTEXT)
  })
  test('A.1 with the published CEK and IV, header, IV, ciphertext and tag are reproduced byte-for-byte', async () => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey } = A1_KEY
    const produced = await compactEncryptWith(
      nodeJweBackend,
      utf8(A1_PLAINTEXT),
      publicKey,
      { alg: 'RSA-OAEP', enc: 'A256GCM' },
      { cek: A1_CEK, iv: A1_IV },
    )
    const [header, , iv, ciphertext, tag] = produced.split('.')
    const expected = A1_JWE.split('.')
    // RSAES-OAEP is randomized, so only the encrypted key differs; it must still decrypt.
    assert.deepEqual([header, iv, ciphertext, tag], [expected[0], expected[2], expected[3], expected[4]])
    const { plaintext } = await compactDecrypt(produced, A1_KEY, {
      keyManagementAlgorithms: ['RSA-OAEP'],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    assert.equal(text(plaintext), A1_PLAINTEXT)
  })
  test('A.2 RSA1_5 A128CBC-HS256: the content layer (A.2.5-A.2.6) is reproduced; RSA1_5 itself [not supported]', async () => {
    // A.2's ciphertext and tag depend only on the header, CEK and IV (A.2.5, A.2.6); RSA1_5 key
    // encryption is refused (deprecated; Node 20 cannot decrypt PKCS#1 v1.5, CVE-2023-46809).
    const aad = utf8('eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0')
    const sealed = await cbcHmacEncrypt(
      nodeJweBackend,
      contentEncryptionAlgorithm('A128CBC-HS256')!,
      A3_CEK,
      A3_IV,
      utf8(LIVE_LONG),
      aad,
    )
    assert.equal(
      Buffer.from(sealed.ciphertext).toString('base64url'),
      'KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY',
    )
    assert.equal(Buffer.from(sealed.tag).toString('base64url'), '9hH0vgRfYgPnAHOd8stkvw')
    await expectCode(
      () =>
        compactEncryptWith(nodeJweBackend, utf8(LIVE_LONG), A1_KEY, { alg: 'RSA1_5', enc: 'A128CBC-HS256' }),
      'ERR_JOSE_NOT_SUPPORTED',
    )
  })
  test('A.3 A128KW A128CBC-HS256: the compact JWE decrypts', async () => {
    const { plaintext } = await compactDecrypt(A3_JWE, A3_KEY, {
      keyManagementAlgorithms: ['A128KW'],
      contentEncryptionAlgorithms: ['A128CBC-HS256'],
    })
    assert.equal(text(plaintext), LIVE_LONG)
  })
  test('A.3 re-encrypts byte-for-byte from the published CEK and IV', async () => {
    const produced = await compactEncryptWith(
      nodeJweBackend,
      utf8(LIVE_LONG),
      A3_KEY,
      { alg: 'A128KW', enc: 'A128CBC-HS256' },
      { cek: A3_CEK, iv: A3_IV },
    )
    assert.equal(produced, A3_JWE)
  })
  test('A.5 the flattened JSON serialization (A.3 recipient, shared unprotected jku) is reproduced', async () => {
    // A.5 reuses A.3's CEK and IV with protected {"enc":"A128CBC-HS256"} (RFC 7516 A.5).
    const produced = await flattenedEncryptWith(
      nodeJweBackend,
      utf8(LIVE_LONG),
      A3_KEY,
      { enc: 'A128CBC-HS256' },
      {
        unprotectedHeader: { jku: 'https://server.example.com/keys.jwks' },
        header: { alg: 'A128KW', kid: '7' },
      },
      { cek: A3_CEK, iv: A3_IV },
    )
    assert.equal(produced.protected, 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0')
    assert.equal(produced.encrypted_key, '6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ')
    assert.equal(produced.ciphertext, 'KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY')
    assert.equal(produced.tag, 'Mz-VPPyU4RlcuYv1IwIvzw')
  })
})

// RFC 7518 B.1-B.3 share P, IV and A; K is 00 01 02 … of the key length.
const P = hex(
  '41206369706865722073797374656d206d757374206e6f7420626520726571756972656420746f2062652073656372' +
    '65742c20616e64206974206d7573742062652061626c6520746f2066616c6c20696e746f207468652068616e647320' +
    '6f662074686520656e656d7920776974686f757420696e636f6e76656e69656e6365',
)
const IV = hex('1af38c2dc2b96ffdd86694092341bc04')
const A = hex('546865207365636f6e64207072696e6369706c65206f662041756775737465204b6572636b686f666673')
const K = (length: number) => Uint8Array.from({ length }, (_, i) => i)
const CASES = [
  {
    id: 'B.1',
    enc: 'A128CBC-HS256',
    e:
      'c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2' +
      'fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b' +
      '384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db',
    t: '652c3fa36b0a7c5b3219fab3a30bc1c4',
  },
  {
    id: 'B.2',
    enc: 'A192CBC-HS384',
    e:
      'ea65da6b59e61edb419be62d19712ae5d303eeb50052d0dfd6697f77224c8edb000d279bdc14c1072654bd30944230c6' +
      '57bed4ca0c9f4a8466f22b226d1746214bf8cfc2400add9f5126e479663fc90b3bed787a2f0ffcbf3904be2a641d5c21' +
      '05bfe591bae23b1d7449e532eef60a9ac8bb6c6b01d35d49787bcd57ef484927f280adc91ac0c4e79c7b11efc60054e3',
    t: '8490ac0e58949bfe51875d733f93ac2075168039ccc733d7',
  },
  {
    id: 'B.3',
    enc: 'A256CBC-HS512',
    e:
      '4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2' +
      'e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3' +
      'a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6',
    t: '4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5',
  },
]

describe('RFC 7518 Appendix B: AES_CBC_HMAC_SHA2 test cases', () => {
  for (const c of CASES) {
    const enc = contentEncryptionAlgorithm(c.enc)!
    test(`${c.id} ${c.enc}: E and T match; decryption returns P`, async () => {
      const sealed = await cbcHmacEncrypt(nodeJweBackend, enc, K(enc.cekBytes), IV, P, A)
      assert.equal(toHex(sealed.ciphertext), c.e)
      assert.equal(toHex(sealed.tag), c.t)
      const opened = await cbcHmacDecrypt(nodeJweBackend, enc, K(enc.cekBytes), IV, hex(c.e), hex(c.t), A)
      assert.equal(toHex(opened), toHex(P))
    })
    test(`${c.id} ${c.enc}: a changed AAD byte fails the tag (ERR_JWE_DECRYPTION_FAILED)`, async () => {
      const altered = Uint8Array.from(A)
      altered[0]! ^= 1
      await expectCode(
        () => cbcHmacDecrypt(nodeJweBackend, enc, K(enc.cekBytes), IV, hex(c.e), hex(c.t), altered),
        'ERR_JWE_DECRYPTION_FAILED',
      )
    })
  }
})

describe('RFC 7518 Appendix C: ECDH-ES key agreement computation', () => {
  const Z = bytes([
    158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128,
    106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
  ])
  const ALICE_EPHEMERAL: JWK = {
    kty: 'EC',
    crv: 'P-256',
    x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0',
    y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps',
    d: '0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo',
  }
  const BOB: JWK = {
    kty: 'EC',
    crv: 'P-256',
    x: 'weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ',
    y: 'e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck',
    d: 'VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw',
  }
  test('C the Concat KDF of Z with "A128GCM", apu "Alice", apv "Bob" is VqqN6vgjbSBcIijNcacQGg', async () => {
    const derived = await concatKdf(nodeJweBackend.keys, Z, 16, 'A128GCM', utf8('Alice'), utf8('Bob'))
    assert.equal(Buffer.from(derived).toString('base64url'), 'VqqN6vgjbSBcIijNcacQGg')
  })
  test("C ECDH-ES A128GCM with Alice's ephemeral key and apu/apv: the header carries them, Bob decrypts", async () => {
    const { d: _d, ...bobPublic } = BOB
    const produced = await compactEncryptWith(nodeJweBackend, utf8('C'), bobPublic, {
      alg: 'ECDH-ES',
      enc: 'A128GCM',
      apu: utf8('Alice'),
      apv: utf8('Bob'),
      epk: ALICE_EPHEMERAL,
    })
    const header = JSON.parse(Buffer.from(produced.split('.')[0]!, 'base64url').toString())
    assert.equal(header.apu, 'QWxpY2U')
    assert.equal(header.apv, 'Qm9i')
    assert.deepEqual(header.epk, { kty: 'EC', crv: 'P-256', x: ALICE_EPHEMERAL.x, y: ALICE_EPHEMERAL.y })
    const { plaintext } = await compactDecrypt(produced, BOB, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A128GCM'],
    })
    assert.equal(text(plaintext), 'C')
  })
})
