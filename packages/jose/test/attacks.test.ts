/**
 * @module Known JWT/JOSE attacks, one named test each (issue 2, "Attacks it must refuse"). Every malicious input
 * is built here from scratch; each test checks the typed error's `code`.
 */
import assert from 'node:assert/strict'
import {
  createHmac,
  generateKeyPair as generateKeyPairAsync,
  generateKeyPairSync,
  type KeyObject,
  constants as nodeConstants,
  sign as nodeSign,
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { describe, test } from 'node:test'
import { promisify } from 'node:util'
import {
  compactSign,
  compactVerify,
  createSigner,
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  exportJWK,
  flattenedSign,
  flattenedVerify,
  generalSign,
  generalVerify,
  generateKeyPair,
  importJWK,
  importPEM,
  importSecret,
  type JoseKey,
  type JWK,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, expectCodeSync, utf8 } from './support/vectors.ts'

const b64 = (value: string | Uint8Array) => Buffer.from(value).toString('base64url')
const SECRET = new Uint8Array(32).fill(7)
const HS = { algorithms: ['HS256'] }

/** An HS256 token over exactly these segments (the attacker controls every byte and knows the secret here). */
function hs256(headerSegment: string, payloadSegment: string, secret: Uint8Array = SECRET): string {
  const input = `${headerSegment}.${payloadSegment}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}
const CLAIMS = b64('{"sub":"u1"}')
const HEADER = b64('{"alg":"HS256"}')

/** The three verification entry points a compact token goes through, each must refuse with `code`. */
async function refusedByAll(token: string, key: unknown, code: string | RegExp, algorithms = ['HS256']) {
  await expectCode(() => compactVerify(token, key as Uint8Array, { algorithms }), code)
  await expectCode(() => verifyJWT(token, key as Uint8Array, { algorithms }), code)
  expectCodeSync(() => createVerifier({ key, algorithms })(token), code)
}

// Keys are generated once per file: RSA generation dominates this file's run time.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
}
// A self-signed test certificate (P-256), made with:
// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 -subj "/CN=tessera attack-test certificate"
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBqjCCAVGgAwIBAgIUFW2ksDey+D2zXTfe1vZ09TZeTqwwCgYIKoZIzj0EAwIw
KjEoMCYGA1UEAwwfdGVzc2VyYSBhdHRhY2stdGVzdCBjZXJ0aWZpY2F0ZTAgFw0y
NjExMjcwOTA2MzhaGA8yMTI2MTEwMzA5MDYzOFowKjEoMCYGA1UEAwwfdGVzc2Vy
YSBhdHRhY2stdGVzdCBjZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABPhAwsBYT/gNvvR1/5XGofPZ16PWg2T5MOwtxB6mjWoK73fe5YU3naTl+rRw
oAEPmfHSrPupdl1HHHOU9K9WmQejUzBRMB0GA1UdDgQWBBTD7wNPGPdRsB2vmMmk
96RiAHUVPTAfBgNVHSMEGDAWgBTD7wNPGPdRsB2vmMmk96RiAHUVPTAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIHjP3Dp2YoKfh6ZUlTOGXCnVFFIl
6BuhR27HK3qNsKa3AiAWybbcxetmAjA415epw4i3Pvz6NWGE1odPYh2rsDpwVQ==
-----END CERTIFICATE-----
`

// RSA-PSS-restricted and 1024-bit keys for the mismatch tests, generated in the background (thread pool) while
// the tests before them run: RSA generation is most of this file's time.
const generateAsync = promisify(generateKeyPairAsync) as (
  type: 'rsa' | 'rsa-pss',
  options: object,
) => Promise<{ publicKey: KeyObject; privateKey: KeyObject }>
const pssKey = (hashAlgorithm: string, mgf1HashAlgorithm: string, saltLength: number) =>
  generateAsync('rsa-pss', { modulusLength: 2048, hashAlgorithm, mgf1HashAlgorithm, saltLength })
const pssKeys = Promise.all([
  pssKey('sha256', 'sha256', 32),
  pssKey('sha256', 'sha256', 64),
  pssKey('sha256', 'sha512', 32),
])
const weakRsa = generateAsync('rsa', { modulusLength: 1024 })

describe('attack: unsecured and malformed "alg"', () => {
  for (const none of ['none', 'None', 'NONE', 'nOnE']) {
    test(`alg "${none}" with an empty signature is refused`, async () => {
      const token = `${b64(JSON.stringify({ alg: none }))}.${CLAIMS}.`
      await refusedByAll(token, SECRET, /^ERR_(JWS_INVALID|JOSE_ALG_NOT_ALLOWED)$/)
    })
    test(`alg "${none}" with a signature is refused as not allowed`, async () => {
      await refusedByAll(
        hs256(b64(JSON.stringify({ alg: none })), CLAIMS),
        SECRET,
        'ERR_JOSE_ALG_NOT_ALLOWED',
      )
    })
  }
  test('"none" cannot be put in the allow-list, nor signed', async () => {
    const token = hs256(b64('{"alg":"none"}'), CLAIMS)
    await expectCode(() => compactVerify(token, SECRET, { algorithms: ['none'] }), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(() => compactSign(utf8('x'), SECRET, { alg: 'none' }), 'ERR_JOSE_ALG_NOT_ALLOWED')
  })
  test('unsecured JWTs are read only by decodeUnsecuredJWT, which refuses signed ones', () => {
    const unsecured = `${b64('{"alg":"none"}')}.${CLAIMS}.`
    assert.equal(decodeUnsecuredJWT(unsecured).payload.sub, 'u1')
    expectCodeSync(() => decodeUnsecuredJWT(hs256(HEADER, CLAIMS)), 'ERR_JWT_INVALID')
  })
  for (const alg of [256, null, true, ['HS256'], { name: 'HS256' }, '']) {
    test(`non-string alg ${JSON.stringify(alg)} is refused`, async () => {
      await refusedByAll(hs256(b64(JSON.stringify({ alg })), CLAIMS), SECRET, 'ERR_JWS_INVALID')
    })
  }
  test('a header without alg is refused', async () => {
    await refusedByAll(hs256(b64('{"typ":"JWT"}'), CLAIMS), SECRET, 'ERR_JWS_INVALID')
  })
  test('an empty signature under HS256 is refused', async () => {
    await refusedByAll(`${HEADER}.${CLAIMS}.`, SECRET, 'ERR_JWS_INVALID')
  })
  for (const alg of ['hs256', 'HS256 ', ' HS256', 'HS256\u0000', 'HS-256', 'HS2560']) {
    test(`alg ${JSON.stringify(alg)} (a near miss of HS256) is not allowed`, async () => {
      await refusedByAll(hs256(b64(JSON.stringify({ alg })), CLAIMS), SECRET, 'ERR_JOSE_ALG_NOT_ALLOWED')
    })
  }
  test('an algorithm outside the allow-list is refused before any key is used', async () => {
    let resolved = 0
    const resolver = () => {
      resolved++
      return SECRET
    }
    const token = hs256(b64('{"alg":"HS384"}'), CLAIMS, new Uint8Array(48))
    await expectCode(() => compactVerify(token, resolver, HS), 'ERR_JOSE_ALG_NOT_ALLOWED')
    await expectCode(() => verifyJWT(token, resolver, HS), 'ERR_JOSE_ALG_NOT_ALLOWED')
    expectCodeSync(() => createVerifier({ key: resolver, ...HS })(token), 'ERR_JOSE_ALG_NOT_ALLOWED')
    assert.equal(resolved, 0)
  })
  test('algorithms is required unless the key is bound to one alg', async () => {
    await expectCode(() => compactVerify(hs256(HEADER, CLAIMS), SECRET), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(
      () => verifyJWT(hs256(HEADER, CLAIMS), SECRET, { algorithms: [] }),
      'ERR_JOSE_OPTION_INVALID',
    )
    const bound: JWK = { kty: 'oct', k: b64(SECRET), alg: 'HS256' }
    assert.equal((await compactVerify(hs256(HEADER, CLAIMS), bound)).protectedHeader.alg, 'HS256')
  })
})

describe('attack: algorithm confusion (public key text as an HMAC secret)', () => {
  const spki = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string
  const pkcs1 = rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }) as string
  const jwk = rsa.publicKey.export({ format: 'jwk' })
  const texts: Record<string, string> = {
    'SPKI PEM': spki,
    'PKCS#1 RSA PUBLIC KEY PEM': pkcs1,
    'X.509 certificate': CERTIFICATE,
    'JWK JSON': JSON.stringify(jwk),
    'JWKS JSON': JSON.stringify({ keys: [jwk] }),
  }
  const prefixes: Record<string, string> = {
    '': '',
    'leading whitespace': ' \n\t',
    '\\0': '\0',
    'U+200B': '\u200b',
    BOM: '\ufeff',
  }
  for (const [what, keyText] of Object.entries(texts)) {
    for (const [prefixName, prefix] of Object.entries(prefixes)) {
      const text = prefix + keyText
      test(`HS256 signed with the ${what}${prefixName ? ` after ${prefixName}` : ''} as secret: that string is never a key`, async () => {
        // The forgery: the attacker HMACs with the verifier's public key text, hoping it is used as the secret.
        const token = hs256(HEADER, CLAIMS, utf8(text))
        await refusedByAll(token, text, 'ERR_KEY_INPUT_INVALID', ['HS256', 'RS256'])
        const error = await expectCode(() => verifyJWT(token, text as never, HS), 'ERR_KEY_INPUT_INVALID')
        assert.ok(!error.message.includes(keyText.slice(0, 40)), 'the message never repeats the key text')
        await expectCode(
          () => compactVerify(token, (() => text) as never, { algorithms: ['HS256'] }),
          'ERR_KEY_INPUT_INVALID',
        )
        await expectCode(
          () => verifyJWT(token, (async () => text) as never, { algorithms: ['HS256'] }),
          'ERR_KEY_INPUT_INVALID',
        )
        expectCodeSync(() => createSigner({ key: text, alg: 'HS256' }), 'ERR_KEY_INPUT_INVALID')
      })
    }
  }
  test('HS256 forged with the SPKI text, against the properly imported RSA key: refused, key/alg mismatch', async () => {
    const token = hs256(HEADER, CLAIMS, utf8(spki))
    const imported = await importPEM(spki)
    await expectCode(
      () => compactVerify(token, imported, { algorithms: ['RS256', 'HS256'] }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => compactVerify(token, rsa.publicKey, { algorithms: ['HS256'] }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => verifyJWT(token, () => imported, { algorithms: ['RS256', 'HS256'] }),
      'ERR_KEY_ALG_MISMATCH',
    )
  })
  test('HS256 against the X.509 certificate key (imported): refused, key/alg mismatch', async () => {
    const certKey = await importPEM(CERTIFICATE)
    const token = hs256(HEADER, CLAIMS, utf8(CERTIFICATE))
    await expectCode(() => compactVerify(token, certKey, { algorithms: ['HS256'] }), 'ERR_KEY_ALG_MISMATCH')
  })
  test('PKCS#1 PEM is not importable (only SPKI / PKCS#8 / certificates are)', async () => {
    await expectCode(() => importPEM(pkcs1), 'ERR_PEM_INVALID')
  })
  test('an RSA JWK without alg refuses HS256', async () => {
    const token = hs256(HEADER, CLAIMS, utf8(JSON.stringify(jwk)))
    await refusedByAll(token, jwk, 'ERR_KEY_ALG_MISMATCH')
    const imported = await importJWK(jwk as JWK)
    await expectCode(() => compactVerify(token, imported, HS), 'ERR_KEY_ALG_MISMATCH')
  })
  test('an EC JWK without alg refuses HS256', async () => {
    const ecJwk = ec.ES256.publicKey.export({ format: 'jwk' }) as JWK
    await refusedByAll(hs256(HEADER, CLAIMS, utf8(JSON.stringify(ecJwk))), ecJwk, 'ERR_KEY_ALG_MISMATCH')
  })
  test('an HMAC secret never verifies an RS256 token, and a JWK Set object is not a key', async () => {
    const token = `${b64('{"alg":"RS256"}')}.${CLAIMS}.${b64(new Uint8Array(256))}`
    await expectCode(() => compactVerify(token, SECRET, { algorithms: ['RS256'] }), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => compactVerify(hs256(HEADER, CLAIMS), { keys: [jwk] }, HS), 'ERR_KEY_INPUT_INVALID')
  })
})

describe('attack: empty or short HMAC secrets', () => {
  for (const [alg, bytes] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const) {
    test(`${alg}: a ${bytes - 1}-byte secret is too weak, given directly or by a resolver`, async () => {
      const short = new Uint8Array(bytes - 1).fill(1)
      const header = b64(JSON.stringify({ alg }))
      const input = `${header}.${CLAIMS}`
      const token = `${input}.${createHmac(`sha${alg.slice(2)}`, short)
        .update(input)
        .digest('base64url')}`
      await refusedByAll(token, short, 'ERR_KEY_TOO_WEAK', [alg])
      await expectCode(() => compactVerify(token, () => short, { algorithms: [alg] }), 'ERR_KEY_TOO_WEAK')
      await expectCode(() => verifyJWT(token, async () => short, { algorithms: [alg] }), 'ERR_KEY_TOO_WEAK')
      expectCodeSync(() => createVerifier({ key: () => short, algorithms: [alg] })(token), 'ERR_KEY_TOO_WEAK')
      await expectCode(() => compactSign(utf8('x'), short, { alg }), 'ERR_KEY_TOO_WEAK')
      await expectCode(
        () => compactSign(utf8('x'), { kty: 'oct', k: b64(short) }, { alg }),
        'ERR_KEY_TOO_WEAK',
      )
    })
  }
  test('an empty secret is refused, given directly or by a resolver', async () => {
    const empty = new Uint8Array(0)
    const token = hs256(HEADER, CLAIMS, empty)
    await refusedByAll(token, empty, 'ERR_KEY_TOO_WEAK')
    await expectCode(() => compactVerify(token, () => empty, HS), 'ERR_KEY_TOO_WEAK')
    await expectCode(() => verifyJWT(token, async () => new Uint8Array(0), HS), 'ERR_KEY_TOO_WEAK')
    await expectCode(() => signJWT({}, empty, { alg: 'HS256' }), 'ERR_KEY_TOO_WEAK')
    // A JWK cannot even carry an empty "k" (RFC 7518 §6.4.1: k is the base64url of the key value).
    await expectCode(() => compactVerify(token, { kty: 'oct', k: '' }, HS), 'ERR_JWK_INVALID')
  })
})

describe('attack: keys embedded in the header (CVE-2018-0114)', () => {
  const victim = ec.ES256
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const attackerJwk = attacker.publicKey.export({ format: 'jwk' })

  test('a "jwk" header with the attacker\'s own key is never used', async () => {
    const token = await compactSign(utf8('{"sub":"admin"}'), attacker.privateKey, {
      alg: 'ES256',
      jwk: attackerJwk as JWK,
    })
    await refusedByAll(token, victim.publicKey, 'ERR_JWS_SIGNATURE_INVALID', ['ES256'])
    await expectCode(
      () => compactVerify(token, undefined as never, { algorithms: ['ES256'] }),
      'ERR_KEY_INPUT_INVALID',
    )
  })

  test('"jku" and "x5u" are never fetched, "x5c" is never trusted', async () => {
    let requests = 0
    const server = createServer((_request, response) => {
      requests++
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ keys: [{ ...attackerJwk, kid: 'a' }] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      const url = `http://127.0.0.1:${port}/keys.json`
      const certDer = CERTIFICATE.split('\n').slice(1, -2).join('')
      for (const extra of [{ jku: url, kid: 'a' }, { x5u: url }, { x5c: [certDer] }]) {
        const token = await compactSign(utf8('{"sub":"admin"}'), attacker.privateKey, {
          alg: 'ES256',
          ...extra,
        })
        await refusedByAll(token, victim.publicKey, 'ERR_JWS_SIGNATURE_INVALID', ['ES256'])
        const flat = await flattenedSign(utf8('x'), attacker.privateKey, { alg: 'ES256' }, extra)
        await expectCode(
          () => flattenedVerify(flat, victim.publicKey, { algorithms: ['ES256'] }),
          'ERR_JWS_SIGNATURE_INVALID',
        )
      }
      // Give a stray fetch the chance to arrive before counting.
      await new Promise((resolve) => setImmediate(resolve))
      assert.equal(requests, 0)
    } finally {
      server.close()
    }
  })
})

describe('attack: ECDSA psychic signatures (CVE-2022-21449) and malformed ECDSA signatures', () => {
  const ORDERS: Record<string, string> = {
    ES256: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
    ES384: 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    ES512:
      '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ES256K: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
  }
  const curves = { ...ec, ES256K: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }) }
  for (const [alg, pair] of Object.entries(curves)) {
    const hash = alg === 'ES256K' ? 'sha256' : `sha${alg.slice(2)}`
    const size = alg === 'ES512' ? 66 : alg === 'ES256K' ? 32 : Number(alg.slice(2)) / 8
    const n = Buffer.from(ORDERS[alg]!.padStart(size * 2, '0'), 'hex')
    const header = b64(JSON.stringify({ alg }))
    const input = `${header}.${CLAIMS}`
    const good = nodeSign(hash, Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
    const r = good.subarray(0, size)
    const s = good.subarray(size)
    const zero = Buffer.alloc(size)
    const nPlus1 = Buffer.from(n)
    nPlus1[size - 1]! += 1
    const cases: Record<string, Buffer> = {
      'all zero (r = s = 0)': Buffer.alloc(size * 2),
      'r = 0': Buffer.concat([zero, s]),
      's = 0': Buffer.concat([r, zero]),
      'r = n': Buffer.concat([n, s]),
      's = n': Buffer.concat([r, n]),
      'r = n + 1': Buffer.concat([nPlus1, s]),
      'r = s = n': Buffer.concat([n, n]),
      'r, s all 0xff (> n)': Buffer.alloc(size * 2, 0xff),
      'one byte short': good.subarray(0, size * 2 - 1),
      'one byte long': Buffer.concat([good, Buffer.from([0])]),
      'DER instead of raw R||S': nodeSign(hash, Buffer.from(input), {
        key: pair.privateKey,
        dsaEncoding: 'der',
      }),
      'a single byte': Buffer.from([1]),
    }
    test(`${alg}: the genuine signature verifies (control)`, async () => {
      await compactVerify(`${input}.${b64(good)}`, pair.publicKey, { algorithms: [alg] })
    })
    for (const [name, signature] of Object.entries(cases)) {
      test(`${alg}: ${name} is refused`, async () => {
        await refusedByAll(`${input}.${b64(signature)}`, pair.publicKey, 'ERR_JWS_SIGNATURE_INVALID', [alg])
      })
    }
  }
})

describe('attack: malformed EdDSA signatures', () => {
  for (const [curve, pair, length] of [
    ['Ed25519', generateKeyPairSync('ed25519'), 64],
    ['Ed448', generateKeyPairSync('ed448'), 114],
  ] as const) {
    const input = `${b64('{"alg":"EdDSA"}')}.${CLAIMS}`
    const good = nodeSign(null, Buffer.from(input), pair.privateKey)
    test(`${curve}: the genuine signature verifies (control)`, async () => {
      await compactVerify(`${input}.${b64(good)}`, pair.publicKey, { algorithms: ['EdDSA'] })
    })
    const cases: Record<string, Uint8Array> = {
      'all zero': new Uint8Array(length),
      'all 0xff': new Uint8Array(length).fill(0xff),
      'one byte short': good.subarray(0, length - 1),
      'one byte long': Buffer.concat([good, Buffer.from([0])]),
      "the other curve's length": new Uint8Array(length === 64 ? 114 : 64),
    }
    for (const [name, signature] of Object.entries(cases)) {
      test(`${curve}: ${name} is refused`, async () => {
        await refusedByAll(`${input}.${b64(signature)}`, pair.publicKey, 'ERR_JWS_SIGNATURE_INVALID', [
          'EdDSA',
        ])
      })
    }
  }
})

describe('attack: key and algorithm mismatch', () => {
  test('wrong curve for ES256 / ES384 / ES512 is refused', async () => {
    for (const [alg, wrong] of [
      ['ES256', ec.ES384],
      ['ES384', ec.ES512],
      ['ES512', ec.ES256],
    ] as const) {
      const token = await compactSign(utf8('x'), wrong.privateKey, {
        alg: `ES${alg === 'ES256' ? 384 : alg === 'ES384' ? 512 : 256}`,
      })
      const forged = `${b64(JSON.stringify({ alg }))}.${token.split('.')[1]}.${token.split('.')[2]}`
      await expectCode(
        () => compactVerify(forged, wrong.publicKey, { algorithms: [alg] }),
        'ERR_KEY_ALG_MISMATCH',
      )
      await expectCode(() => compactSign(utf8('x'), wrong.privateKey, { alg }), 'ERR_KEY_ALG_MISMATCH')
    }
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' })
    await expectCode(() => compactSign(utf8('x'), k1.privateKey, { alg: 'ES256' }), 'ERR_KEY_ALG_MISMATCH')
    const ed448 = generateKeyPairSync('ed448')
    await expectCode(
      () => compactSign(utf8('x'), ed448.privateKey, { alg: 'Ed25519' }),
      'ERR_KEY_ALG_MISMATCH',
    )
  })

  test('an RSA key under 2048 bits is refused for RS256 and PS256 (verify and sign)', async () => {
    const weak = await weakRsa
    for (const alg of ['RS256', 'PS256']) {
      const input = `${b64(JSON.stringify({ alg }))}.${CLAIMS}`
      const options =
        alg === 'PS256'
          ? { key: weak.privateKey, padding: nodeConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
          : weak.privateKey
      const token = `${input}.${b64(nodeSign('sha256', Buffer.from(input), options))}`
      await refusedByAll(token, weak.publicKey, 'ERR_KEY_TOO_WEAK', [alg])
      await refusedByAll(token, weak.publicKey.export({ format: 'jwk' }), 'ERR_KEY_TOO_WEAK', [alg])
      await expectCode(() => compactSign(utf8('x'), weak.privateKey, { alg }), 'ERR_KEY_TOO_WEAK')
    }
    await expectCode(
      () => generateKeyPair('RS256', { modulusLength: 1024 }),
      /^ERR_JOSE_(NOT_SUPPORTED|OPTION_INVALID)$/,
    )
  })

  test('RSA-PSS keys whose parameters disagree with the PS algorithm are refused', async () => {
    const [sha256, longSalt, otherMgf] = await pssKeys
    // Control: a key restricted to exactly PS256's parameters works for PS256.
    const good = await compactSign(utf8('x'), sha256.privateKey, { alg: 'PS256' })
    await compactVerify(good, sha256.publicKey, { algorithms: ['PS256'] })
    await expectCode(
      () => compactSign(utf8('x'), sha256.privateKey, { alg: 'PS384' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => compactSign(utf8('x'), sha256.privateKey, { alg: 'RS256' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => compactSign(utf8('x'), longSalt.privateKey, { alg: 'PS256' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => compactSign(utf8('x'), otherMgf.privateKey, { alg: 'PS256' }),
      'ERR_KEY_ALG_MISMATCH',
    )
    await expectCode(
      () => compactVerify(good, otherMgf.publicKey, { algorithms: ['PS256'] }),
      'ERR_KEY_ALG_MISMATCH',
    )
  })

  test('a key bound at import to an alg it cannot serve is refused at import', async () => {
    const ecJwk = ec.ES256.publicKey.export({ format: 'jwk' }) as JWK
    await expectCode(() => importJWK({ ...ecJwk, alg: 'ES384' }), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => importJWK(ecJwk, 'HS256'), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => importJWK({ ...ecJwk, alg: 'RS256' }), 'ERR_KEY_ALG_MISMATCH')
    const spki = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string
    await expectCode(() => importPEM(spki, 'HS256'), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => importPEM(spki, 'ES256'), 'ERR_KEY_ALG_MISMATCH')
    await expectCode(() => importSecret(SECRET, 'RS256'), 'ERR_KEY_ALG_MISMATCH')
    // Controls: fitting bindings import.
    assert.equal((await importJWK({ ...ecJwk, alg: 'ES256' })).alg, 'ES256')
    assert.equal((await importPEM(spki, 'PS256')).alg, 'PS256')
    assert.equal((await importSecret(SECRET, 'HS256')).alg, 'HS256')
  })

  test('exporting an RSA-PSS-restricted key as a JWK fails with a typed error (JWK cannot express it)', async () => {
    const [restricted] = await pssKeys
    await expectCode(() => exportJWK(restricted.publicKey), 'ERR_JOSE_NOT_SUPPORTED')
  })
})

describe('attack: non-canonical base64url in each segment', () => {
  // Payload bytes chosen so that the canonical encoding contains both "-" and "_".
  const payload = b64(Buffer.from([0xfb, 0xff, 0xbf, 0x7b, 0x7d]))
  const canonical = hs256(HEADER, payload)
  test('control: the canonical token verifies', async () => {
    assert.match(payload, /-/)
    assert.match(payload, /_/)
    await compactVerify(canonical, SECRET, HS)
  })
  const mutations: Record<string, (segment: string) => string> = {
    'padding "="': (s) => `${s}${'='.repeat((4 - (s.length % 4)) % 4 || 4)}`,
    '"+" for "-"': (s) => (s.includes('-') ? s.replace('-', '+') : `+${s.slice(1)}`),
    '"/" for "_"': (s) => (s.includes('_') ? s.replace('_', '/') : `/${s.slice(1)}`),
    'a space': (s) => `${s.slice(0, 2)} ${s.slice(2)}`,
    'a newline': (s) => `${s.slice(0, 2)}\n${s.slice(2)}`,
    'a "#"': (s) => `${s.slice(0, 2)}#${s.slice(2)}`,
    'a "?"': (s) => `${s.slice(0, 2)}?${s.slice(2)}`,
    'a non-ASCII letter': (s) => `${s.slice(0, 2)}é${s.slice(2)}`,
    'non-zero trailing bits': (s) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      return s.slice(0, -1) + alphabet[alphabet.indexOf(s.at(-1)!) + 1]
    },
  }
  for (const [name, mutate] of Object.entries(mutations)) {
    test(`header with ${name} is refused`, async () => {
      await refusedByAll(hs256(mutate(HEADER), payload), SECRET, 'ERR_JWS_INVALID')
    })
    test(`payload with ${name} is refused (even correctly MACed over)`, async () => {
      const token = hs256(HEADER, mutate(payload))
      await expectCode(() => compactVerify(token, SECRET, HS), 'ERR_JWS_INVALID')
      expectCodeSync(() => createVerifier({ key: SECRET, ...HS })(token), /^ERR_JW[ST]_INVALID$/)
    })
    test(`signature with ${name} is refused`, async () => {
      const [h, p, s] = canonical.split('.')
      await refusedByAll(`${h}.${p}.${mutate(s!)}`, SECRET, 'ERR_JWS_INVALID')
    })
  }
  test('a non-canonical flattened JSON member is refused', async () => {
    const flat = await flattenedSign(utf8('{"a":1}'), SECRET, { alg: 'HS256' })
    await expectCode(
      () => flattenedVerify({ ...flat, signature: `${flat.signature}=` }, SECRET, HS),
      'ERR_JWS_INVALID',
    )
    await expectCode(
      () => flattenedVerify({ ...flat, protected: ` ${flat.protected}` }, SECRET, HS),
      'ERR_JWS_INVALID',
    )
  })
})

describe('attack: header and payload that are not what they claim', () => {
  const invalidUtf8: Record<string, number[]> = {
    '0xff byte': [0xff],
    'overlong "/" (C0 AF)': [0xc0, 0xaf],
    'lone surrogate (ED A0 80)': [0xed, 0xa0, 0x80],
    'truncated sequence (E2 82)': [0xe2, 0x82],
  }
  for (const [name, bytes] of Object.entries(invalidUtf8)) {
    test(`invalid UTF-8 in the header (${name}) is refused`, async () => {
      const header = Buffer.concat([
        Buffer.from('{"alg":"HS256","x":"'),
        Buffer.from(bytes),
        Buffer.from('"}'),
      ])
      await refusedByAll(hs256(b64(header), CLAIMS), SECRET, 'ERR_JWS_INVALID')
    })
    test(`invalid UTF-8 in the JWT claims (${name}) is refused`, async () => {
      const claims = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from(bytes), Buffer.from('"}')])
      const token = hs256(HEADER, b64(claims))
      await expectCode(() => verifyJWT(token, SECRET, HS), 'ERR_JWT_INVALID')
      expectCodeSync(() => createVerifier({ key: SECRET, ...HS })(token), 'ERR_JWT_INVALID')
    })
  }
  for (const json of ['["HS256"]', '"HS256"', '256', 'null', 'true', '', '{"alg":"HS256"']) {
    test(`a header that is ${JSON.stringify(json)} (not a JSON object) is refused`, async () => {
      await refusedByAll(hs256(b64(json), CLAIMS), SECRET, 'ERR_JWS_INVALID')
    })
    test(`JWT claims that are ${JSON.stringify(json)} (not a JSON object) are refused`, async () => {
      const token = hs256(HEADER, b64(json))
      await expectCode(() => verifyJWT(token, SECRET, HS), 'ERR_JWT_INVALID')
      expectCodeSync(() => createVerifier({ key: SECRET, ...HS })(token), 'ERR_JWT_INVALID')
    })
  }
  const duplicates: Record<string, string> = {
    'alg twice': '{"alg":"HS256","alg":"none"}',
    'alg and \\u0061lg': '{"alg":"none","\\u0061lg":"HS256"}',
    '\\u0061lg and alg': '{"\\u0061lg":"HS256","alg":"HS256"}',
    'kid twice': '{"alg":"HS256","kid":"a","kid":"b"}',
    'crit as \\u0063rit': '{"alg":"HS256","crit":["x"],"x":1,"\\u0063rit":["y"]}',
  }
  for (const [name, json] of Object.entries(duplicates)) {
    test(`duplicate header member names (${name}) are refused`, async () => {
      await refusedByAll(hs256(b64(json), CLAIMS), SECRET, 'ERR_JWS_INVALID')
    })
  }
  for (const json of ['{"alg":"HS256","__proto__":{"b64":false}}', '{"alg":"HS256","\\u005f_proto__":{}}']) {
    test(`a "__proto__" header member is refused: ${json}`, async () => {
      await refusedByAll(hs256(b64(json), CLAIMS), SECRET, 'ERR_JWS_INVALID')
    })
  }
})

describe('attack: crit and b64 rules (RFC 7515 §4.1.11, RFC 7797 §6)', () => {
  const cases: Record<string, [header: object, code: string]> = {
    'crit empty': [{ alg: 'HS256', crit: [] }, 'ERR_JWS_INVALID'],
    'crit not an array': [{ alg: 'HS256', crit: 'exp', exp: 1 }, 'ERR_JWS_INVALID'],
    'crit lists an unknown extension': [
      { alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 },
      'ERR_JOSE_CRIT_UNSUPPORTED',
    ],
    'crit lists a registered name': [{ alg: 'HS256', crit: ['alg'] }, 'ERR_JWS_INVALID'],
    'crit lists kid (registered)': [{ alg: 'HS256', kid: 'a', crit: ['kid'] }, 'ERR_JWS_INVALID'],
    'crit lists an absent parameter': [{ alg: 'HS256', crit: ['urn:x'] }, 'ERR_JWS_INVALID'],
    'crit lists a name twice': [{ alg: 'HS256', crit: ['b64', 'b64'], b64: true }, 'ERR_JWS_INVALID'],
    'crit holds a non-string': [{ alg: 'HS256', crit: [1] }, 'ERR_JWS_INVALID'],
    'b64 false without crit': [{ alg: 'HS256', b64: false }, 'ERR_JWS_INVALID'],
    'b64 true without crit': [{ alg: 'HS256', b64: true }, 'ERR_JWS_INVALID'],
    'b64 not a boolean': [{ alg: 'HS256', b64: 'false', crit: ['b64'] }, 'ERR_JWS_INVALID'],
  }
  for (const [name, [header, code]] of Object.entries(cases)) {
    test(`${name} is refused`, async () => {
      await refusedByAll(hs256(b64(JSON.stringify(header)), CLAIMS), SECRET, code)
    })
  }
  test('an extension the caller declares understood is accepted (control)', async () => {
    const token = hs256(b64(JSON.stringify({ alg: 'HS256', crit: ['urn:x'], 'urn:x': 1 })), CLAIMS)
    await compactVerify(token, SECRET, { ...HS, crit: { 'urn:x': true } })
  })
  test('crit or b64 in the unprotected header is refused', async () => {
    const flat = await flattenedSign(utf8('x'), SECRET, { alg: 'HS256' })
    for (const header of [{ crit: ['urn:x'], 'urn:x': 1 }, { b64: false }, { crit: ['b64'] }]) {
      await expectCode(() => flattenedVerify({ ...flat, header }, SECRET, HS), 'ERR_JWS_INVALID')
    }
    await expectCode(
      () => flattenedSign(utf8('x'), SECRET, { alg: 'HS256' }, { crit: ['b64'] }),
      'ERR_JWS_INVALID',
    )
  })
  test('a name in both the protected and unprotected header is refused', async () => {
    const flat = await flattenedSign(utf8('x'), SECRET, { alg: 'HS256' })
    await expectCode(
      () => flattenedVerify({ ...flat, header: { alg: 'none' } }, SECRET, HS),
      'ERR_JWS_INVALID',
    )
  })
  test('mixed b64 modes across general-JSON signatures are refused', async () => {
    const payload = 'abcd' // valid both as base64url and as a raw payload
    const encoded = b64('{"alg":"HS256"}')
    const raw = b64('{"alg":"HS256","b64":false,"crit":["b64"]}')
    const mac = (input: string) => createHmac('sha256', SECRET).update(input).digest('base64url')
    const general = {
      payload,
      signatures: [
        { protected: encoded, signature: mac(`${encoded}.${payload}`) },
        { protected: raw, signature: mac(`${raw}.${payload}`) },
      ],
    }
    // Each signature alone verifies (control), together they are refused.
    await generalVerify({ payload, signatures: [general.signatures[0]!] }, SECRET, HS)
    await generalVerify({ payload, signatures: [general.signatures[1]!] }, SECRET, HS)
    await expectCode(() => generalVerify(general, SECRET, HS), 'ERR_JWS_INVALID')
    await expectCode(
      () =>
        generalSign(utf8('{"a":1}'), [
          { key: SECRET, protectedHeader: { alg: 'HS256' } },
          { key: SECRET, protectedHeader: { alg: 'HS256', b64: false } },
        ]),
      'ERR_JWS_INVALID',
    )
  })
})

describe('attack: kid with path or SQL characters is only data for the resolver', () => {
  for (const kid of [
    '../../../../etc/passwd',
    "' OR '1'='1' --",
    '"; DROP TABLE keys; --',
    'a\u0000b',
    '%2e%2e%2f',
    'k'.repeat(300),
  ]) {
    test(`kid ${JSON.stringify(kid.slice(0, 40))} reaches the resolver unchanged and selects nothing by itself`, async () => {
      const seen: unknown[] = []
      const keys = new Map([['good', SECRET]])
      const resolver = (header: { kid?: unknown }) => {
        seen.push(header.kid)
        return keys.get(header.kid as string) ?? new Uint8Array(32).fill(9)
      }
      const token = hs256(b64(JSON.stringify({ alg: 'HS256', kid })), CLAIMS)
      await expectCode(() => verifyJWT(token, resolver, HS), 'ERR_JWS_SIGNATURE_INVALID')
      await expectCode(() => compactVerify(token, resolver, HS), 'ERR_JWS_SIGNATURE_INVALID')
      assert.deepEqual(seen, [kid, kid])
      const error = await expectCode(
        () => verifyJWT(token, () => undefined as never, HS),
        'ERR_KEY_INPUT_INVALID',
      )
      assert.ok(
        !error.message.includes(kid) || kid.length < 40,
        'an attacker-chosen kid is not echoed at length',
      )
    })
  }
})

describe('attack: oversized tokens are refused before parsing', () => {
  const bigPayload = (length: number) => 'A'.repeat(length)
  for (const [name, length] of [
    ['just over 64 KiB', 65_537],
    ['10 MB', 10 * 1024 * 1024],
  ] as const) {
    test(`a ${name} token is refused with ERR_JOSE_INPUT_TOO_LARGE`, async () => {
      const token = `${HEADER}.${bigPayload(length)}.${b64(new Uint8Array(32))}`
      await refusedByAll(token, SECRET, 'ERR_JOSE_INPUT_TOO_LARGE')
      const flat = { protected: HEADER, payload: bigPayload(length), signature: b64(new Uint8Array(32)) }
      await expectCode(() => flattenedVerify(flat, SECRET, HS), 'ERR_JOSE_INPUT_TOO_LARGE')
      const general = {
        payload: flat.payload,
        signatures: [{ protected: HEADER, signature: flat.signature }],
      }
      await expectCode(() => generalVerify(general, SECRET, HS), 'ERR_JOSE_INPUT_TOO_LARGE')
      // The unverified decoders have their own, larger cap (1 MiB): the 10 MB token hits it.
      if (length > 1 << 20) {
        expectCodeSync(() => decodeJWT(token), 'ERR_JOSE_INPUT_TOO_LARGE')
        expectCodeSync(() => decodeProtectedHeader(token), 'ERR_JOSE_INPUT_TOO_LARGE')
      }
      // A resolver is never consulted for a token refused on size.
      let called = false
      await expectCode(
        () =>
          compactVerify(
            token,
            () => {
              called = true
              return SECRET
            },
            HS,
          ),
        'ERR_JOSE_INPUT_TOO_LARGE',
      )
      assert.equal(called, false)
    })
  }
  test('a token just under the limit still verifies, and the limit can be raised explicitly', async () => {
    const small = await signJWT({ pad: 'x'.repeat(40_000) }, SECRET, { alg: 'HS256' })
    assert.ok(small.length < 65_536)
    await verifyJWT(small, SECRET, HS)
    const large = await signJWT({ pad: 'x'.repeat(60_000) }, SECRET, { alg: 'HS256' })
    assert.ok(large.length > 65_536)
    await expectCode(() => verifyJWT(large, SECRET, HS), 'ERR_JOSE_INPUT_TOO_LARGE')
    await verifyJWT(large, SECRET, { ...HS, maxTokenLength: 200_000 })
  })
})

describe('attack: HMAC tag comparison', () => {
  test('tags of the wrong length are simply invalid (no exception from the constant-time compare)', async () => {
    const [h, p] = hs256(HEADER, CLAIMS).split('.')
    for (const length of [1, 16, 31, 33, 48, 64, 1024]) {
      await refusedByAll(
        `${h}.${p}.${b64(new Uint8Array(length).fill(1))}`,
        SECRET,
        'ERR_JWS_SIGNATURE_INVALID',
      )
    }
  })
  test('a tag differing in only its last byte is invalid', async () => {
    const token = hs256(HEADER, CLAIMS)
    const [h, p, s] = token.split('.')
    const tag = Buffer.from(s!, 'base64url')
    tag[31]! ^= 1
    await refusedByAll(`${h}.${p}.${b64(tag)}`, SECRET, 'ERR_JWS_SIGNATURE_INVALID')
  })
  test('the node backend compares HMAC tags with crypto.timingSafeEqual (source check)', () => {
    // Timing is not asserted in tests (testing guide); this pins the primitive the comparison uses.
    const source = readFileSync(new URL('../src/backend/node/signature.ts', import.meta.url), 'utf8')
    assert.match(source, /timingSafeEqual\(expected, signature\)/)
  })
})

describe('attack: token cache of createVerifier({ cache })', () => {
  const now = 1_800_000_000_000
  const sign = createSigner({ key: SECRET, alg: 'HS256', expiresIn: 60, clock: () => now })
  test('a cached token is refused the moment it expires (the clock moves, the cache does not help)', () => {
    let clock = now
    const verify = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => clock })
    const token = sign({ sub: 'u1' })
    const first = verify(token)
    assert.equal(verify(token), first, 'second call is served from the cache')
    clock = now + 59_000
    assert.equal(verify(token).payload.sub, 'u1')
    clock = now + 60_000
    const error = expectCodeSync(() => verify(token), 'ERR_JWT_EXPIRED')
    assert.equal((error as unknown as { claim: string }).claim, 'exp')
  })
  test('the cache is keyed on the whole token: a token differing only in its signature is verified afresh', () => {
    const verify = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => now })
    const token = sign({ sub: 'u1' })
    verify(token)
    const [h, p, s] = token.split('.')
    const tag = Buffer.from(s!, 'base64url')
    tag[0]! ^= 1
    expectCodeSync(() => verify(`${h}.${p}.${b64(tag)}`), 'ERR_JWS_SIGNATURE_INVALID')
    // Same claims, other header: verified afresh as well.
    const other = createSigner({ key: SECRET, alg: 'HS256', kid: 'x', expiresIn: 60, clock: () => now })({
      sub: 'u1',
    })
    assert.equal(verify(other).protectedHeader.kid, 'x')
  })
  test("a cached token's signature moved onto other claims finds its entry, is verified afresh and refused", () => {
    const verify = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => now })
    const token = sign({ sub: 'u1' })
    const first = verify(token)
    const [h, , s] = token.split('.')
    const forged = `${h}.${b64(Buffer.from(JSON.stringify({ sub: 'admin', exp: now / 1000 + 60 })))}.${s}`
    expectCodeSync(() => verify(forged), 'ERR_JWS_SIGNATURE_INVALID')
    expectCodeSync(() => verify(`${token} `), 'ERR_JWS_INVALID')
    assert.equal(verify(token), first, 'the real token is still answered from the cache')
  })
  test('the cache belongs to one verifier: another verifier (another key) never sees its entries', () => {
    const verifyA = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => now })
    const verifyB = createVerifier({
      key: new Uint8Array(32).fill(8),
      ...HS,
      cache: { max: 10 },
      clock: () => now,
    })
    const token = sign({ sub: 'u1' })
    verifyA(token)
    expectCodeSync(() => verifyB(token), 'ERR_JWS_SIGNATURE_INVALID')
  })
  test('cached results are frozen: one caller cannot change what the next one gets', () => {
    const verify = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => now })
    const result = verify(sign({ sub: 'u1', roles: ['user'] }))
    assert.ok(Object.isFrozen(result.payload))
    assert.throws(() => (result.payload.roles as string[]).push('admin'), TypeError)
  })
  test('failures are not cached: a token refused before nbf is accepted once nbf passes', () => {
    let clock = now
    const verify = createVerifier({ key: SECRET, ...HS, cache: { max: 10 }, clock: () => clock })
    const token = createSigner({ key: SECRET, alg: 'HS256', notBefore: 30, clock: () => now })({ sub: 'u1' })
    expectCodeSync(() => verify(token), 'ERR_JWT_CLAIM_INVALID')
    clock = now + 30_000
    assert.equal(verify(token).payload.sub, 'u1')
  })
  test('a bad cache option is refused', () => {
    for (const cache of [{ max: 0 }, { max: -1 }, { max: 1.5 }, { max: Number.NaN }]) {
      expectCodeSync(() => createVerifier({ key: SECRET, ...HS, cache }), 'ERR_JOSE_OPTION_INVALID')
    }
  })
})

// Keep a reference so the type import stays used when the file is edited.
export type { JoseKey, KeyObject }
