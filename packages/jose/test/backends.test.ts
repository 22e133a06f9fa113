/**
 * @module One suite, run against both backends: for every JWS algorithm, keys made on either backend sign
 * JWTs that verify on the same backend and on the other, JWK / PEM exports import on both, and thumbprints
 * agree. What WebCrypto cannot do is shown as `[not supported]` and must fail with ERR_JOSE_NOT_SUPPORTED.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import fc from 'fast-check'
import { jwsAlgorithm } from '../src/alg/jws-algorithms.ts'
import { nodeBackend } from '../src/backend/node/index.ts'
import type { Backend } from '../src/backend/types.ts'
import { webCryptoBackend } from '../src/backend/webcrypto/index.ts'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { selfSignedCertificate } from './support/der.ts'
import { expectCode } from './support/vectors.ts'

// What both entry points offer (node.ts adds the synchronous factories).
type Api = Omit<typeof webcrypto, 'runtime'>
const BACKENDS: Record<'node' | 'webcrypto', Api> = { node, webcrypto }
type BackendName = keyof typeof BACKENDS
const NAMES = Object.keys(BACKENDS) as BackendName[]
const BACKEND_OBJECTS: Record<BackendName, Backend> = { node: nodeBackend, webcrypto: webCryptoBackend }

const NOT_SUPPORTED = 'ERR_JOSE_NOT_SUPPORTED'
// Fixed time for every token: claim checks never depend on the wall clock.
const NOW = new Date('2026-06-01T12:00:00Z')

const supports = (backend: BackendName, alg: string): boolean =>
  backend === 'node' || jwsAlgorithm(alg)!.webCrypto
const isHmac = (alg: string): boolean => jwsAlgorithm(alg)!.family === 'hmac'
const mark = (supported: boolean): string => (supported ? '' : ' [not supported]')

interface Keys {
  privateKey: node.JoseKey
  publicKey: node.JoseKey
}

// Key generation (RSA especially) is the slow part: one extractable key per backend and algorithm, shared.
const generated = new Map<string, Promise<Keys>>()
function keysFor(backend: BackendName, alg: string): Promise<Keys> {
  const id = `${backend}/${alg}`
  let keys = generated.get(id)
  if (!keys) {
    const api = BACKENDS[backend]
    keys = isHmac(alg)
      ? api
          .generateSecret(alg, { extractable: true })
          .then((secret) => ({ privateKey: secret, publicKey: secret }))
      : api.generateKeyPair(alg, { extractable: true })
    generated.set(id, keys)
  }
  return keys
}

function signToken(api: Api, key: unknown, alg: string): Promise<string> {
  return api.signJWT({ sub: 'u1' }, key as node.JoseKey, {
    alg,
    kid: 'k1',
    expiresIn: '5m',
    currentDate: NOW,
  })
}

async function assertVerifies(api: Api, token: string, key: unknown, alg: string): Promise<void> {
  const { payload, protectedHeader } = await api.verifyJWT(token, key as node.JoseKey, {
    algorithms: [alg],
    currentDate: NOW,
  })
  assert.equal(payload.sub, 'u1')
  assert.equal(protectedHeader.alg, alg)
}

/** The token with the first bit of its signature flipped. */
function flipSignatureBit(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const bytes = node.decodeBase64url(signature)!
  bytes[0]! ^= 0x80
  return `${header}.${payload}.${node.encodeBase64url(bytes)}`
}

for (const alg of node.JWS_ALGORITHMS) {
  describe(alg, () => {
    for (const signer of NAMES) {
      for (const verifier of NAMES) {
        const supported = supports(signer, alg) && supports(verifier, alg)
        test(`${alg}: signed on ${signer}, verified on ${verifier}${mark(supported)}`, async () => {
          if (!supports(signer, alg)) {
            const make = () => (isHmac(alg) ? webcrypto.generateSecret(alg) : webcrypto.generateKeyPair(alg))
            await expectCode(make, NOT_SUPPORTED)
            // A key made where the algorithm exists is refused here too, at import.
            const { privateKey } = await keysFor('node', alg)
            const jwk = await node.exportJWK(privateKey)
            await expectCode(() => signToken(BACKENDS[signer], jwk, alg), NOT_SUPPORTED)
            return
          }
          const keys = await keysFor(signer, alg)
          const token = await signToken(BACKENDS[signer], keys.privateKey, alg)
          const publicJwk = await BACKENDS[signer].exportJWK(keys.publicKey)
          const api = BACKENDS[verifier]
          if (!supported) {
            await expectCode(() => assertVerifies(api, token, publicJwk, alg), NOT_SUPPORTED)
            await expectCode(() => api.importJWK(publicJwk, alg), NOT_SUPPORTED)
            return
          }
          if (signer === verifier) await assertVerifies(api, token, keys.publicKey, alg)
          await assertVerifies(api, token, publicJwk, alg)
          await assertVerifies(api, token, await api.importJWK(publicJwk, alg), alg)
          // verify returns false, never throws, for a signature that does not verify.
          await expectCode(
            () => assertVerifies(api, flipSignatureBit(token), publicJwk, alg),
            'ERR_JWS_SIGNATURE_INVALID',
          )
        })
      }
    }

    for (const from of NAMES) {
      for (const to of NAMES) {
        const supported = supports(from, alg) && supports(to, alg)
        test(`${alg}: JWK exported on ${from}, imported on ${to}${mark(supported)}`, async () => {
          const keys = await keysFor(supports(from, alg) ? from : 'node', alg)
          const privateJwk = await BACKENDS[supports(from, alg) ? from : 'node'].exportJWK(keys.privateKey)
          if (!supported) {
            // Whichever side lacks the algorithm refuses the key at import.
            for (const side of new Set([from, to])) {
              if (!supports(side, alg))
                await expectCode(() => BACKENDS[side].importJWK(privateJwk, alg), NOT_SUPPORTED)
            }
            return
          }
          const api = BACKENDS[to]
          const imported = await api.importJWK(privateJwk, alg)
          assert.equal(imported.bits, keys.privateKey.bits, 'both backends compute the same key size')
          assert.equal(imported.crv, keys.privateKey.crv)
          assert.equal(imported.kty, keys.privateKey.kty)
          assert.deepEqual(await api.exportJWK(imported), privateJwk)
          if (!isHmac(alg)) {
            const publicJwk = await BACKENDS[from].exportJWK(keys.publicKey)
            assert.deepEqual(await api.exportJWK(await api.getPublicKey(imported)), publicJwk)
            assert.deepEqual(await api.exportJWK(await api.importJWK(publicJwk, alg)), publicJwk)
          }
          // The re-imported private key signs what the original public key verifies.
          const token = await signToken(api, imported, alg)
          await assertVerifies(BACKENDS[from], token, keys.publicKey, alg)
        })
      }
    }

    if (!isHmac(alg)) {
      for (const from of NAMES) {
        for (const to of NAMES) {
          const supported = supports(from, alg) && supports(to, alg)
          test(`${alg}: PEM exported on ${from}, imported on ${to}${mark(supported)}`, async () => {
            const origin = supports(from, alg) ? from : 'node'
            const keys = await keysFor(origin, alg)
            const privatePem = await BACKENDS[origin].exportPEM(keys.privateKey)
            const publicPem = await BACKENDS[origin].exportPEM(keys.publicKey)
            assert.match(privatePem, /^-----BEGIN PRIVATE KEY-----\n/)
            assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----\n/)
            if (!supported) {
              for (const side of new Set([from, to])) {
                if (!supports(side, alg)) {
                  await expectCode(() => BACKENDS[side].importPEM(privatePem, alg), NOT_SUPPORTED)
                  await expectCode(() => BACKENDS[side].importPEM(publicPem, alg), NOT_SUPPORTED)
                }
              }
              return
            }
            const api = BACKENDS[to]
            const privateKey = await api.importPEM(privatePem, alg)
            const publicKey = await api.importPEM(publicPem, alg)
            assert.equal(privateKey.alg, alg)
            assert.equal(publicKey.bits, keys.publicKey.bits)
            assert.deepEqual(await api.exportJWK(privateKey), await BACKENDS[from].exportJWK(keys.privateKey))
            assert.deepEqual(await api.exportJWK(publicKey), await BACKENDS[from].exportJWK(keys.publicKey))
            // And back: the importing backend's PEM is read by the exporting one.
            const again = await BACKENDS[from].importPEM(await api.exportPEM(publicKey), alg)
            assert.deepEqual(
              await BACKENDS[from].exportJWK(again),
              await BACKENDS[from].exportJWK(keys.publicKey),
            )
            await assertVerifies(BACKENDS[from], await signToken(api, privateKey, alg), keys.publicKey, alg)
          })
        }
      }
    }

    const bothSupport = supports('webcrypto', alg)
    test(`${alg}: thumbprints equal on node and webcrypto${mark(bothSupport)}`, async () => {
      const keys = await keysFor('node', alg)
      const jwk = await node.exportJWK(isHmac(alg) ? keys.privateKey : keys.publicKey)
      const expected = await node.calculateJwkThumbprint(jwk)
      // A JWK object's thumbprint is JSON and a digest: both runtimes compute it, supported or not.
      assert.equal(await webcrypto.calculateJwkThumbprint(jwk), expected)
      assert.equal(await webcrypto.calculateJwkThumbprintUri(jwk), await node.calculateJwkThumbprintUri(jwk))
      const privateJwk = await node.exportJWK(keys.privateKey)
      if (!bothSupport) {
        await expectCode(() => webcrypto.importJWK(privateJwk, alg), NOT_SUPPORTED)
        return
      }
      for (const name of NAMES) {
        const api = BACKENDS[name]
        assert.equal(await api.calculateJwkThumbprint(await api.importJWK(privateJwk, alg)), expected, name)
        assert.equal(await api.calculateJwkThumbprint(await api.importJWK(jwk)), expected, name)
        const own = await keysFor(name, alg)
        const ownJwk = await api.exportJWK(isHmac(alg) ? own.privateKey : own.publicKey)
        for (const other of NAMES) {
          assert.equal(
            await BACKENDS[other].calculateJwkThumbprint(ownJwk, 'sha384'),
            await api.calculateJwkThumbprint(own.privateKey, 'sha384'),
          )
        }
      }
    })
  })
}

/** The DER inside a PEM text. */
function pemBody(pem: string): Uint8Array {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----|\n/g, ''), 'base64')
}

describe('backend parity', () => {
  test('webcrypto.ts exports what node.ts exports, minus the synchronous factories', () => {
    // The synchronous factories exist only on Node (WebCrypto has no synchronous primitives).
    const nodeOnly = new Set(['createSigner', 'createVerifier', 'createEncrypter', 'createDecrypter'])
    const expected = Object.keys(node).filter((name) => !nodeOnly.has(name))
    const missing = expected.filter((name) => !(name in webcrypto))
    assert.deepEqual(
      missing,
      [],
      `webcrypto.ts lacks ${missing.join(', ')}: bind them to webCryptoBackend there`,
    )
    const extra = Object.keys(webcrypto).filter((name) => !(name in node))
    assert.deepEqual(extra, [], `webcrypto.ts exports ${extra.join(', ')}, which node.ts does not`)
    for (const name of expected) {
      const type = typeof (node as Record<string, unknown>)[name]
      assert.equal(typeof (webcrypto as Record<string, unknown>)[name], type, name)
    }
    assert.equal(node.runtime, 'node')
    assert.equal(webcrypto.runtime, 'webcrypto')
  })

  for (const name of NAMES) {
    const api = BACKENDS[name]

    test(`non-extractable keys refuse export but still thumbprint on ${name}`, async () => {
      const pair = await api.generateKeyPair('ES256')
      await expectCode(() => api.exportJWK(pair.privateKey), 'ERR_KEY_USAGE_FORBIDDEN')
      await expectCode(() => api.exportPEM(pair.privateKey), 'ERR_KEY_USAGE_FORBIDDEN')
      const publicJwk = await api.exportJWK(pair.publicKey)
      assert.equal(
        await api.calculateJwkThumbprint(pair.privateKey),
        await api.calculateJwkThumbprint(publicJwk),
      )
      assert.deepEqual(await api.exportJWK(await api.getPublicKey(pair.privateKey)), publicJwk)
      const secret = await api.generateSecret('HS256')
      await expectCode(() => api.exportJWK(secret), 'ERR_KEY_USAGE_FORBIDDEN')
      const token = await signToken(api, secret, 'HS256')
      await assertVerifies(api, token, secret, 'HS256')
      await assertVerifies(api, await signToken(api, pair.privateKey, 'ES256'), publicJwk, 'ES256')
    })

    test(`the backend's verify returns false, never throws, for malformed signatures on ${name}`, async () => {
      const backend = BACKEND_OBJECTS[name]
      const data = new TextEncoder().encode('header.payload')
      for (const alg of node.JWS_ALGORITHMS.filter((alg) => supports(name, alg))) {
        const entry = jwsAlgorithm(alg)!
        const { privateKey, publicKey } = await keysFor(name, alg)
        const good = await backend.sign(entry, privateKey, data)
        assert.equal(await backend.verify(entry, publicKey, data, good), true, alg)
        const malformed = [
          new Uint8Array(0),
          new Uint8Array(1),
          good.subarray(0, good.length - 1),
          new Uint8Array([...good, 0]),
          new Uint8Array(good.length * 2),
          new Uint8Array(good.length).fill(0xff),
        ]
        for (const signature of malformed) {
          assert.equal(
            await backend.verify(entry, publicKey, data, signature),
            false,
            `${alg} (${signature.length} bytes)`,
          )
        }
      }
    })

    test(`logging a key never shows its material on ${name}`, async () => {
      for (const alg of ['ES256', 'HS256']) {
        const keys = await keysFor(name, alg)
        const jwk = await api.exportJWK(keys.privateKey)
        const secret = (jwk.d ?? jwk.k)!
        assert.ok(!inspect(keys.privateKey, { depth: 20, showHidden: true }).includes(secret), alg)
        assert.ok(!JSON.stringify(keys.privateKey).includes(secret), alg)
      }
    })

    test(`key sizes are checked the same way on ${name}`, async () => {
      await expectCode(() => api.importSecret(new Uint8Array(0)), 'ERR_KEY_TOO_WEAK')
      const short = await api.importSecret(new Uint8Array(31).fill(7))
      assert.equal(short.bits, 248)
      await expectCode(() => signToken(api, short, 'HS256'), 'ERR_KEY_TOO_WEAK')
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      const weakJwk = weak.privateKey.export({ format: 'jwk' }) as node.JWK
      const imported = await api.importJWK(weakJwk)
      assert.equal(imported.bits, 1024)
      await expectCode(() => signToken(api, imported, 'RS256'), 'ERR_KEY_TOO_WEAK')
      // A modulus whose top byte is not full: bits are the modulus' bit length, as node:crypto reports it
      // (OpenSSL may make a modulus one bit shorter than asked, so compare with what it reports).
      const odd = generateKeyPairSync('rsa', { modulusLength: 2052 }).publicKey
      const oddKey = await api.importJWK(odd.export({ format: 'jwk' }) as node.JWK)
      assert.equal(oddKey.bits, odd.asymmetricKeyDetails!.modulusLength)
      assert.notEqual(oddKey.bits % 8, 0)
    })

    test(`ECDSA signatures with r or s out of [1, n-1] are refused on ${name}`, async () => {
      const { privateKey, publicKey } = await keysFor(name, 'ES256')
      const token = await signToken(api, privateKey, 'ES256')
      const [header, payload, signature] = token.split('.') as [string, string, string]
      const valid = node.decodeBase64url(signature)!
      const n = Uint8Array.from(
        Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
      )
      const forged = [
        new Uint8Array(64),
        Uint8Array.from([...n, ...valid.subarray(32)]),
        valid.subarray(0, 63),
      ]
      for (const bytes of forged) {
        const forgedToken = `${header}.${payload}.${node.encodeBase64url(bytes)}`
        await expectCode(
          () => assertVerifies(api, forgedToken, publicKey, 'ES256'),
          /ERR_JWS_(SIGNATURE_)?INVALID/,
        )
      }
    })

    for (const [type, options] of [
      ['ec', { namedCurve: 'P-256' }],
      ['rsa', { modulusLength: 2048 }],
      ['ed25519', {}],
    ] as const) {
      const alg = type === 'ec' ? 'ES256' : type === 'rsa' ? 'RS256' : 'EdDSA'
      test(`X.509 certificate public key (${alg}) imports on ${name}`, async () => {
        const pair = generateKeyPairSync(type as 'ec', options as { namedCurve: string })
        const certificate = selfSignedCertificate(pair.publicKey, pair.privateKey)
        const key = await api.importPEM(certificate, alg)
        assert.equal(key.type, 'public')
        const expected = pair.publicKey.export({ format: 'jwk' })
        assert.deepEqual({ ...(await api.exportJWK(key)), alg: undefined }, { ...expected, alg: undefined })
        const token = await signToken(node, pair.privateKey, alg)
        await assertVerifies(api, token, key, alg)
      })
    }
  }

  test('importPEM without an algorithm is an option error on webcrypto only', async () => {
    const { publicKey } = await keysFor('node', 'ES256')
    const pem = await node.exportPEM(publicKey)
    assert.equal((await node.importPEM(pem)).crv, 'P-256')
    const error = await expectCode(() => webcrypto.importPEM(pem), 'ERR_JOSE_OPTION_INVALID')
    assert.match(error.message, /needs the algorithm on WebCrypto/)
  })

  test('malformed certificate DER is refused by the bounded reader', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const certificate = selfSignedCertificate(pair.publicKey, pair.privateKey)
    const der = Buffer.from(pemBody(certificate))
    const pem = (bytes: Uint8Array) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(bytes).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`
    const truncated = der.subarray(0, der.length - 1)
    const indefinite = Buffer.from(der)
    indefinite[1] = 0x80 // BER indefinite length, which DER forbids
    const hugeLength = Buffer.concat([
      Buffer.from([0x30, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff]),
      der.subarray(4),
    ])
    for (const bytes of [truncated, indefinite, hugeLength, Buffer.from([0x30, 0x00])]) {
      await expectCode(() => webcrypto.importPEM(pem(bytes), 'ES256'), 'ERR_PEM_INVALID')
    }
    // An EC certificate bound to RS256: the key decides the family (algorithm confusion stays out), whether
    // the contradiction is reported at import or at the first token.
    const token = await signToken(node, pair.privateKey, 'ES256')
    await expectCode(async () => {
      const key = await webcrypto.importPEM(certificate, 'RS256')
      await webcrypto.verifyJWT(token, key, { algorithms: ['ES256'] })
    }, 'ERR_KEY_ALG_MISMATCH')
  })

  test('random and mutated DER never crashes importPEM on webcrypto (typed errors only)', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const samples = [
      { label: 'CERTIFICATE', der: pemBody(selfSignedCertificate(pair.publicKey, pair.privateKey)) },
      { label: 'PUBLIC KEY', der: pair.publicKey.export({ type: 'spki', format: 'der' }) },
      { label: 'PRIVATE KEY', der: pair.privateKey.export({ type: 'pkcs8', format: 'der' }) },
    ]
    const asPem = (label: string, bytes: Uint8Array) =>
      `-----BEGIN ${label}-----\n${Buffer.from(bytes).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`
    const mutated = fc
      .record({
        sample: fc.constantFrom(...samples),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
        cut: fc.boolean(),
      })
      .map(({ sample, at, value, cut }) => {
        const bytes = Uint8Array.from(sample.der)
        const i = at % bytes.length
        bytes[i] = value
        return { label: sample.label, bytes: cut ? bytes.subarray(0, i) : bytes }
      })
    const random = fc.record({
      label: fc.constantFrom('CERTIFICATE', 'PUBLIC KEY', 'PRIVATE KEY'),
      bytes: fc.uint8Array({ maxLength: 300 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, random), async ({ label, bytes }) => {
        try {
          await webcrypto.importPEM(asPem(label, bytes), 'ES256')
        } catch (error) {
          assert.ok(error instanceof node.JOSEError, `not a typed error: ${String(error)}`)
          assert.match(error.code, /^ERR_(PEM_INVALID|JOSE_NOT_SUPPORTED|KEY_ALG_MISMATCH)$/)
        }
      }),
      { numRuns: 400 },
    )
  })

  test('Ed448 and X448 are not supported on webcrypto, by name', async () => {
    const error = await expectCode(() => webcrypto.generateKeyPair('EdDSA', { crv: 'Ed448' }), NOT_SUPPORTED)
    assert.match(error.message, /Ed448 is not available on WebCrypto.*Node build/)
    const x448 = generateKeyPairSync('x448').publicKey.export({ format: 'jwk' }) as node.JWK
    await expectCode(() => webcrypto.importJWK(x448), NOT_SUPPORTED)
    await expectCode(
      () =>
        webcrypto.importPEM(
          generateKeyPairSync('x448').publicKey.export({ type: 'spki', format: 'pem' }) as string,
          'ECDH-ES',
        ),
      NOT_SUPPORTED,
    )
  })

  test('CryptoKeys are accepted as keys on both backends', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    for (const signer of NAMES) {
      const token = await signToken(BACKENDS[signer], pair.privateKey, 'ES384')
      for (const verifier of NAMES) await assertVerifies(BACKENDS[verifier], token, pair.publicKey, 'ES384')
    }
    await expectCode(() => webcrypto.exportJWK(pair.privateKey), 'ERR_KEY_USAGE_FORBIDDEN')
    // A non-extractable CryptoKey is bound to its own algorithm: WebCrypto cannot re-import it for another.
    const hmac = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(64).fill(1),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    await expectCode(() => signToken(webcrypto, hmac, 'HS512'), 'ERR_KEY_ALG_MISMATCH')
  })

  test('a key made by one backend is refused by the other with advice', async () => {
    for (const [maker, user] of [
      ['node', 'webcrypto'],
      ['webcrypto', 'node'],
    ] as const) {
      const { privateKey, publicKey } = await keysFor(maker, 'ES256')
      const api = BACKENDS[user]
      const error = await expectCode(() => signToken(api, privateKey, 'ES256'), 'ERR_KEY_INPUT_INVALID')
      assert.match(error.message, /exportJWK/)
      await expectCode(() => api.exportJWK(publicKey), 'ERR_KEY_INPUT_INVALID')
      const token = await signToken(BACKENDS[maker], privateKey, 'ES256')
      await expectCode(() => assertVerifies(api, token, publicKey, 'ES256'), 'ERR_KEY_INPUT_INVALID')
    }
  })
})
