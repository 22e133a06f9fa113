/**
 * @module RFC 7515 Appendix A examples (A.1 HS256, A.2 RS256, A.3 ES256, A.4 ES512, A.5 unsecured, A.6 general
 * JSON, A.7 flattened JSON). There is no machine-readable copy in test/vectors, so the values are written
 * here exactly as they appear in the RFC text, section by section.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  compactSign,
  compactVerify,
  decodeUnsecuredJWT,
  flattenedVerify,
  generalVerify,
  type JWK,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, text } from './support/vectors.ts'

// RFC 7515 A.1.1: the JWS Payload, with CRLF line breaks, used by A.1–A.3 and A.5–A.7.
const CLAIMS_B64 =
  'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ'
const CLAIMS = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
// The example's exp is 2011-03-22T18:43:00Z; claim checks run just before it.
const BEFORE_EXP = new Date(1300819379 * 1000)

// RFC 7515 A.1.1: HMAC key.
const A1_KEY: JWK = {
  kty: 'oct',
  k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
}
// RFC 7515 A.1.1: header {"typ":"JWT",\r\n "alg":"HS256"}; A.1.1 signature.
const A1_JWS = `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${CLAIMS_B64}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`

// RFC 7515 A.2.1: RSA key (public n, e and the private members).
const A2_KEY: JWK = {
  kty: 'RSA',
  n:
    'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs' +
    'D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV' +
    'MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
  e: 'AQAB',
  d:
    'Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0' +
    'BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYT' +
    'CBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ',
  p:
    '4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPG' +
    'BY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc',
  q:
    'uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA' +
    '-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc',
  dp:
    'BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb3' +
    '4MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0',
  dq:
    'h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyN' +
    'lxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU',
  qi:
    'IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW' +
    '0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U',
}
// RFC 7515 A.2.1: header {"alg":"RS256"} and the (deterministic) RSASSA-PKCS1-v1_5 signature.
const A2_SIGNATURE =
  'cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZ' +
  'cAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-e' +
  'OkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw'
const A2_JWS = `eyJhbGciOiJSUzI1NiJ9.${CLAIMS_B64}.${A2_SIGNATURE}`

// RFC 7515 A.3.1: P-256 key; A.3.1 signature (ECDSA is randomized: verify only).
const A3_KEY: JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
}
const A3_SIGNATURE = 'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q'
const A3_JWS = `eyJhbGciOiJFUzI1NiJ9.${CLAIMS_B64}.${A3_SIGNATURE}`

// RFC 7515 A.4.1: P-521 key; payload is the ASCII string "Payload"; A.4.1 signature.
const A4_KEY: JWK = {
  kty: 'EC',
  crv: 'P-521',
  x: 'AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk',
  y: 'ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2',
  d: 'AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C',
}
const A4_JWS =
  'eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7Xdt' +
  'AG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn'

// RFC 7515 A.5: unsecured JWS ({"alg":"none"}), empty signature.
const A5_JWT = `eyJhbGciOiJub25lIn0.${CLAIMS_B64}.`

// RFC 7515 A.6.4: general JSON with the A.2 and A.3 signatures.
const A6_GENERAL = {
  payload: CLAIMS_B64,
  signatures: [
    { protected: 'eyJhbGciOiJSUzI1NiJ9', header: { kid: '2010-12-29' }, signature: A2_SIGNATURE },
    {
      protected: 'eyJhbGciOiJFUzI1NiJ9',
      header: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' },
      signature: A3_SIGNATURE,
    },
  ],
}
// RFC 7515 A.7: flattened JSON of the A.3 signature.
const A7_FLAT = {
  payload: CLAIMS_B64,
  protected: 'eyJhbGciOiJFUzI1NiJ9',
  header: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' },
  signature: A3_SIGNATURE,
}

const publicOf = ({ kty, crv, x, y, n, e }: JWK): JWK =>
  kty === 'RSA' ? { kty, n, e } : ({ kty, crv, x, y } as JWK)

describe('RFC 7515 Appendix A', () => {
  test('A.1 HS256 compact verifies', async () => {
    const { payload, protectedHeader } = await compactVerify(A1_JWS, A1_KEY, { algorithms: ['HS256'] })
    assert.equal(text(payload), CLAIMS)
    assert.deepEqual(protectedHeader, { typ: 'JWT', alg: 'HS256' })
  })

  test('A.1 HS256 verifies as a JWT before its exp, and is refused after it', async () => {
    const { payload } = await verifyJWT(A1_JWS, A1_KEY, {
      algorithms: ['HS256'],
      currentDate: BEFORE_EXP,
      typ: 'JWT',
    })
    assert.equal(payload.iss, 'joe')
    const error = await expectCode(
      () => verifyJWT(A1_JWS, A1_KEY, { algorithms: ['HS256'] }),
      'ERR_JWT_EXPIRED',
    )
    assert.equal((error as unknown as { claim: string }).claim, 'exp')
  })

  test('A.2 RS256 compact verifies with the public key', async () => {
    const { payload } = await compactVerify(A2_JWS, publicOf(A2_KEY), { algorithms: ['RS256'] })
    assert.equal(text(payload), CLAIMS)
  })

  test('A.2 RS256 re-signed byte for byte (RSASSA-PKCS1-v1_5 is deterministic)', async () => {
    assert.equal(await compactSign(new TextEncoder().encode(CLAIMS), A2_KEY, { alg: 'RS256' }), A2_JWS)
  })

  test('A.3 ES256 compact verifies', async () => {
    const { payload } = await compactVerify(A3_JWS, publicOf(A3_KEY), { algorithms: ['ES256'] })
    assert.equal(text(payload), CLAIMS)
  })

  test('A.3 ES256 a fresh signature with the A.3 key verifies with its public half', async () => {
    const jws = await compactSign(new TextEncoder().encode(CLAIMS), A3_KEY, { alg: 'ES256' })
    assert.equal(
      text((await compactVerify(jws, publicOf(A3_KEY), { algorithms: ['ES256'] })).payload),
      CLAIMS,
    )
  })

  test('A.4 ES512 compact verifies', async () => {
    const { payload } = await compactVerify(A4_JWS, publicOf(A4_KEY), { algorithms: ['ES512'] })
    assert.equal(text(payload), 'Payload')
  })

  test('A.5 unsecured JWS is read only by decodeUnsecuredJWT', async () => {
    const { payload, header } = decodeUnsecuredJWT(A5_JWT, { currentDate: BEFORE_EXP })
    assert.deepEqual(header, { alg: 'none' })
    assert.equal(payload.iss, 'joe')
    await expectCode(
      () => compactVerify(A5_JWT, A1_KEY, { algorithms: ['HS256'] }),
      /^ERR_(JWS_INVALID|JOSE_ALG_NOT_ALLOWED)$/,
    )
    await expectCode(
      () => verifyJWT(A5_JWT, A1_KEY, { algorithms: ['HS256'] }),
      /^ERR_(JWS_INVALID|JOSE_ALG_NOT_ALLOWED)$/,
    )
  })

  test('A.6 general JSON: RS256 signature verifies with the A.2 key', async () => {
    const result = await generalVerify(A6_GENERAL, publicOf(A2_KEY), { algorithms: ['RS256'] })
    assert.equal(text(result.payload), CLAIMS)
    assert.deepEqual(result.header, { kid: '2010-12-29' })
  })

  test('A.6 general JSON: ES256 signature verifies with the A.3 key', async () => {
    const result = await generalVerify(A6_GENERAL, publicOf(A3_KEY), { algorithms: ['ES256'] })
    assert.deepEqual(result.protectedHeader, { alg: 'ES256' })
    assert.deepEqual(result.header, { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' })
  })

  test('A.6 general JSON: refused when no signature fits the key and allow-list', async () => {
    await expectCode(
      () => generalVerify(A6_GENERAL, publicOf(A4_KEY), { algorithms: ['ES512'] }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })

  test('A.7 flattened JSON ES256 verifies', async () => {
    const result = await flattenedVerify(A7_FLAT, publicOf(A3_KEY), { algorithms: ['ES256'] })
    assert.equal(text(result.payload), CLAIMS)
  })
})
