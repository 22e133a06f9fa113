/**
 * @module DPoP (RFC 9449) proofs: the RFC's own examples (test/vectors/dpop/rfc9449.json), round trips for each
 * algorithm family on both builds and across them, a non-extractable WebCrypto key pair, the shape of the proofs
 * `createDPoPProof` makes, and the synchronous / asynchronous contract of the Node entry.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { expectCode, readVector } from './support/vectors.ts'

const rfc = readVector('dpop/rfc9449.json')
const at = (seconds: number): Date => new Date(seconds * 1000)

describe('RFC 9449 examples', () => {
  test('the thumbprint of the example key is the jkt RFC 9449 §6.1 publishes', async () => {
    assert.equal(await node.calculateJwkThumbprint(rfc.jwk), rfc.jkt)
    assert.equal(await webcrypto.calculateJwkThumbprint(rfc.jwk), rfc.jkt)
  })

  test('the ath of the §7.1 access token', async () => {
    assert.equal(node.calculateAccessTokenHash(rfc.resourceRequest.accessToken), rfc.resourceRequest.ath)
    assert.equal(
      await webcrypto.calculateAccessTokenHash(rfc.resourceRequest.accessToken),
      rfc.resourceRequest.ath,
    )
  })

  for (const [name, api] of [
    ['node', node],
    ['webcrypto', webcrypto],
  ] as const) {
    test(`${name}: the §4.1 token request proof verifies and yields the key's thumbprint`, async () => {
      const example = rfc.tokenRequestProof
      const result = await api.verifyDPoPProof(example.proof, {
        htm: example.htm,
        htu: example.htu,
        jkt: rfc.jkt,
        currentDate: at(example.iat + 1),
      })
      assert.equal(result.jkt, rfc.jkt)
      assert.deepEqual(result.claims, { jti: example.jti, htm: 'POST', htu: example.htu, iat: example.iat })
      assert.deepEqual(result.header.jwk, rfc.jwk)
      assert.ok(Object.isFrozen(result.claims) && Object.isFrozen(result.header))
    })

    test(`${name}: the §7.1 resource request proof verifies with its access token`, async () => {
      const example = rfc.resourceRequest
      const result = await api.verifyDPoPProof(example.proof, {
        htm: example.htm,
        htu: example.htu,
        accessToken: example.accessToken,
        jkt: rfc.jkt,
        currentDate: at(example.iat),
      })
      assert.equal(result.claims.ath, example.ath)
      assert.equal(result.claims.jti, example.jti)
    })

    test(`${name}: the §7.1 proof is refused with another access token`, async () => {
      const example = rfc.resourceRequest
      const error = await expectCode(
        () =>
          api.verifyDPoPProof(example.proof, {
            htm: example.htm,
            htu: example.htu,
            accessToken: `${example.accessToken}x`,
            currentDate: at(example.iat),
          }),
        'ERR_DPOP_PROOF_INVALID',
      )
      assert.equal((error as node.DPoPProofInvalid).reason, 'ath')
    })
  }
})

// One key pair per family; RSA-2048 generation is the slow part of this file.
const FAMILIES = [
  { alg: 'ES256', kty: 'EC' },
  { alg: 'ES384', kty: 'EC' },
  { alg: 'EdDSA', kty: 'OKP' },
  { alg: 'RS256', kty: 'RSA' },
  { alg: 'PS256', kty: 'RSA' },
] as const
const REQUEST = { htm: 'POST', htu: 'https://api.example.com/notes' }
const PUBLIC_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
}

describe('round trips', async () => {
  const nodeKeys = new Map<string, node.KeyPair>()
  const webKeys = new Map<string, node.KeyPair>()
  for (const { alg } of FAMILIES) {
    nodeKeys.set(alg, await node.generateKeyPair(alg, { extractable: true }))
    webKeys.set(alg, await webcrypto.generateKeyPair(alg))
  }

  for (const { alg, kty } of FAMILIES) {
    test(`${alg}: made on Node, verified on Node and WebCrypto, jkt is the key's thumbprint`, async () => {
      const { privateKey, publicKey } = nodeKeys.get(alg)!
      const proof = node.createDPoPProof({ key: privateKey, alg, ...REQUEST, accessToken: 'token-1' })
      assert.equal(typeof proof, 'string')
      const header = node.decodeProtectedHeader(proof) as node.DPoPProofHeader
      assert.equal(header.typ, 'dpop+jwt')
      assert.equal(header.alg, alg)
      assert.deepEqual(Object.keys(header.jwk), PUBLIC_MEMBERS[kty])
      const expected = await node.calculateJwkThumbprint(publicKey)
      const options = { ...REQUEST, accessToken: 'token-1', jkt: expected }
      assert.equal(node.verifyDPoPProof(proof, options).jkt, expected)
      assert.equal((await webcrypto.verifyDPoPProof(proof, options)).jkt, expected)
    })

    test(`${alg}: made on WebCrypto, verified on WebCrypto and Node`, async () => {
      const { privateKey, publicKey } = webKeys.get(alg)!
      const pending = webcrypto.createDPoPProof({ key: privateKey, alg, ...REQUEST, nonce: 'n-1' })
      assert.ok(pending instanceof Promise)
      const proof = await pending
      assert.equal(node.decodeJWT(proof).nonce, 'n-1')
      const expected = await webcrypto.calculateJwkThumbprint(publicKey)
      const options = { ...REQUEST, nonce: 'n-1', jkt: expected }
      assert.equal((await webcrypto.verifyDPoPProof(proof, options)).jkt, expected)
      assert.equal(node.verifyDPoPProof(proof, options).jkt, expected)
    })
  }

  test('an RSA key bound to no alg is refused with a message that says to name one', async () => {
    const { alg: _bound, ...jwk } = await node.exportJWK(nodeKeys.get('PS256')!.privateKey)
    const error = await expectCode(
      () => node.createDPoPProof({ key: jwk, ...REQUEST }),
      'ERR_JOSE_OPTION_INVALID',
    )
    assert.match(error.message, /RS256|PS256/)
  })

  test('the default alg follows the curve: ES256 for P-256, ES384 for P-384, EdDSA for Ed25519', () => {
    for (const alg of ['ES256', 'ES384', 'EdDSA']) {
      const proof = node.createDPoPProof({ key: nodeKeys.get(alg)!.privateKey, ...REQUEST })
      assert.equal(node.decodeProtectedHeader(proof).alg, alg)
    }
  })

  test('an HMAC secret cannot make a proof', async () => {
    const secret = await node.generateSecret('HS256')
    await expectCode(
      () => node.createDPoPProof({ key: secret, alg: 'HS256', ...REQUEST }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })
})

describe('key forms', () => {
  test('a non-extractable WebCrypto P-256 key pair (what the SDK keeps in IndexedDB) signs proofs', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    assert.equal(pair.privateKey.extractable, false)
    const jkt = await webcrypto.calculateJwkThumbprint(await webcrypto.exportJWK(pair.publicKey))
    for (const options of [{ key: pair }, { key: pair.privateKey, publicKey: pair.publicKey }]) {
      const proof = await webcrypto.createDPoPProof({ ...options, ...REQUEST })
      assert.equal((await webcrypto.verifyDPoPProof(proof, { ...REQUEST, jkt })).jkt, jkt)
    }
  })

  test('a non-extractable private CryptoKey alone is refused with a message that asks for the public key', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const error = await expectCode(
      () => webcrypto.createDPoPProof({ key: pair.privateKey, ...REQUEST }),
      /^ERR_/,
    )
    assert.match(error.message, /public key/)
  })

  test('a private JWK, a KeyObject and a generateKeyPair pair all work on Node', async () => {
    const { privateKey, publicKey } = await node.generateKeyPair('ES256', { extractable: true })
    const jwk = await node.exportJWK(privateKey)
    const jkt = await node.calculateJwkThumbprint(publicKey)
    const keyObject = (await import('node:crypto')).createPrivateKey({ key: jwk as never, format: 'jwk' })
    for (const key of [jwk, keyObject, { privateKey, publicKey }, privateKey]) {
      const proof = node.createDPoPProof({ key, ...REQUEST })
      assert.equal(node.verifyDPoPProof(proof, { ...REQUEST, jkt }).jkt, jkt)
      assert.equal('d' in (node.decodeProtectedHeader(proof).jwk as object), false)
    }
  })

  test('the header carries no kid, alg or use of the key, only its public members', async () => {
    const { privateKey } = await node.generateKeyPair('ES256', { extractable: true })
    const jwk = { ...(await node.exportJWK(privateKey)), kid: 'k-1', alg: 'ES256', use: 'sig' }
    const header = node.decodeProtectedHeader(node.createDPoPProof({ key: jwk, ...REQUEST }))
    assert.deepEqual(Object.keys(header.jwk as object), ['crv', 'kty', 'x', 'y'])
  })
})

describe('the proofs createDPoPProof makes', () => {
  test('claims: jti of 128 random bits, htm, htu without query or fragment, iat now, ath, nonce', async () => {
    const { privateKey } = await node.generateKeyPair('ES256')
    const before = Math.floor(Date.now() / 1000)
    const proof = node.createDPoPProof({
      key: privateKey,
      htm: 'GET',
      htu: 'HTTPS://API.Example.COM:443/notes/1?page=2#top',
      accessToken: rfc.resourceRequest.accessToken,
      nonce: 'server-nonce',
    })
    const claims = node.decodeJWT(proof)
    assert.deepEqual(Object.keys(claims), ['jti', 'htm', 'htu', 'iat', 'ath', 'nonce'])
    assert.equal(claims.htu, 'https://api.example.com/notes/1')
    assert.equal(claims.ath, rfc.resourceRequest.ath)
    assert.ok((claims.iat as number) >= before && (claims.iat as number) <= Math.ceil(Date.now() / 1000))
    assert.equal(Buffer.from(claims.jti as string, 'base64url').length, 16)
  })

  test('every proof has a new jti, even with the same key and request', async () => {
    const { privateKey } = await node.generateKeyPair('ES256')
    const jtis = new Set(
      Array.from(
        { length: 50 },
        () => node.decodeJWT(node.createDPoPProof({ key: privateKey, ...REQUEST })).jti,
      ),
    )
    assert.equal(jtis.size, 50)
  })

  test('iat and jti can be set (tests); bad values are refused as options', async () => {
    const { privateKey } = await node.generateKeyPair('ES256')
    const claims = node.decodeJWT(
      node.createDPoPProof({ key: privateKey, ...REQUEST, iat: 1000, jti: 'fixed' }),
    )
    assert.equal(claims.iat, 1000)
    assert.equal(claims.jti, 'fixed')
    for (const bad of [
      { htm: '' },
      { htm: 'GET /' },
      { htu: '/relative' },
      { htu: 'ftp://example.com/' },
      { htu: 'https://user:pw@example.com/' },
      { iat: 1.5 },
      { jti: '' },
      { accessToken: '' },
    ]) {
      await expectCode(
        () => node.createDPoPProof({ key: privateKey, ...REQUEST, ...bad }),
        'ERR_JOSE_OPTION_INVALID',
      )
    }
  })
})

describe('the Node entry is synchronous', () => {
  test('createDPoPProof and verifyDPoPProof return values; with an async replay cache verify returns a promise', async () => {
    const { privateKey } = await node.generateKeyPair('ES256')
    const proof = node.createDPoPProof({ key: privateKey, ...REQUEST })
    const plain = node.verifyDPoPProof(proof, { ...REQUEST, replay: node.createMemoryReplayCache() })
    assert.equal(typeof plain.jkt, 'string')
    const seen: string[] = []
    const asyncReplay = {
      seen: async (id: string) => {
        const again = seen.includes(id)
        seen.push(id)
        return again
      },
    }
    const pending = node.verifyDPoPProof(proof, { ...REQUEST, replay: asyncReplay })
    assert.ok(pending instanceof Promise)
    assert.equal((await pending).jkt, plain.jkt)
    await expectCode(
      () => node.verifyDPoPProof(proof, { ...REQUEST, replay: asyncReplay }),
      'ERR_DPOP_PROOF_REPLAYED',
    )
  })
})
