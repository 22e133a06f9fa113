/**
 * @module Every refusal of `verifyDPoPProof`, one test each, on both builds: proofs forged with the generic JWS
 * signer (real signatures), each wrong in exactly one way, next to the same proof made right, which must verify.
 * Each refusal is a DPoPProofInvalid whose `reason` names the check, with a message free of proof and token.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, sign } from 'node:crypto'
import { describe, test } from 'node:test'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { expectCode, utf8 } from './support/vectors.ts'

const NOW = 1_780_000_000
const currentDate = new Date(NOW * 1000)
const HTU = 'https://api.example.com/notes'
const TOKEN = 'the-access-token.eyJzdWIiOiJhbGljZSJ9'

const client = await node.generateKeyPair('ES256', { extractable: true })
const other = await node.generateKeyPair('ES256', { extractable: true })
const p384 = await node.generateKeyPair('ES384', { extractable: true })
const publicJwk = await node.exportJWK(client.publicKey)
const privateJwk = await node.exportJWK(client.privateKey)
const jkt = await node.calculateJwkThumbprint(client.publicKey)
const ath = node.calculateAccessTokenHash(TOKEN)

type Claims = Record<string, unknown>
type Header = Record<string, unknown>
const goodHeader = (): Header => ({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk })
const goodClaims = (): Claims => ({ jti: 'jti-1', htm: 'GET', htu: HTU, iat: NOW, ath })

/** A compact JWS over `claims` under `header`, signed by `key` (the client's key unless said otherwise). */
async function forge(header: Header, claims: Claims, key: unknown = client.privateKey): Promise<string> {
  return node.compactSign(utf8(JSON.stringify(claims)), key as node.KeyInput, header)
}

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

/** ES256 over any header, even one our JWS signer refuses to make (an unknown `crit`), by node:crypto directly. */
function signRaw(header: Header, claims: Claims): string {
  const input = `${segment(header)}.${segment(claims)}`
  const key = createPrivateKey({ key: privateJwk as never, format: 'jwk' })
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}
const baseOptions = (): node.DPoPVerifyOptions => ({
  htm: 'GET',
  htu: HTU,
  accessToken: TOKEN,
  jkt,
  currentDate,
})

for (const [name, api] of [
  ['node', node],
  ['webcrypto', webcrypto],
] as const) {
  const verify = (proof: string, options: Partial<node.DPoPVerifyOptions> = {}) =>
    api.verifyDPoPProof(proof, { ...baseOptions(), ...options })

  /** Asserts a refusal with `code` and `reason`, and that the message leaks neither the proof nor the token. */
  async function refused(
    proof: string,
    reason: string,
    options: Partial<node.DPoPVerifyOptions> = {},
    code = 'ERR_DPOP_PROOF_INVALID',
  ): Promise<void> {
    const error = await expectCode(() => verify(proof, options), code)
    assert.ok(error instanceof api.DPoPProofInvalid, `${error.name} is a DPoPProofInvalid`)
    assert.equal((error as node.DPoPProofInvalid).reason, reason, error.message)
    for (const part of [...proof.split('.'), TOKEN, ath]) {
      if (part.length > 8)
        assert.ok(!error.message.includes(part), `the message leaks a value: ${error.message}`)
    }
  }

  describe(`${name}: verifyDPoPProof refuses`, () => {
    test('(control) the well-formed proof verifies', async () => {
      assert.equal((await verify(await forge(goodHeader(), goodClaims()))).jkt, jkt)
    })

    test('an HMAC alg, with an oct jwk', async () => {
      const secret = new Uint8Array(32).fill(7)
      const proof = await forge(
        { ...goodHeader(), alg: 'HS256', jwk: { kty: 'oct', k: 'BwcH' } },
        goodClaims(),
        secret,
      )
      await refused(proof, 'alg')
    })

    test('"alg": "none" (an unsecured token), in any case', async () => {
      for (const alg of ['none', 'None']) {
        const proof = `${segment({ ...goodHeader(), alg })}.${segment(goodClaims())}.`
        await refused(proof, 'alg')
      }
    })

    test("an alg outside the caller's algorithms", async () => {
      const p384Jwk = await node.exportJWK(p384.publicKey)
      const proof = await forge(
        { ...goodHeader(), alg: 'ES384', jwk: p384Jwk },
        goodClaims(),
        p384.privateKey,
      )
      assert.ok(await verify(proof, { jkt: undefined }))
      await refused(proof, 'alg', { algorithms: ['ES256'], jkt: undefined })
    })

    test("listing HS256 in algorithms is the caller's error", async () => {
      const proof = await forge(goodHeader(), goodClaims())
      await expectCode(() => verify(proof, { algorithms: ['ES256', 'HS256'] }), 'ERR_JOSE_OPTION_INVALID')
    })

    test('a jwk with the private member d (and each other private member)', async () => {
      await refused(await forge({ ...goodHeader(), jwk: privateJwk }, goodClaims()), 'jwk')
      for (const member of ['p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
        await refused(
          await forge({ ...goodHeader(), jwk: { ...publicJwk, [member]: 'AQAB' } }, goodClaims()),
          'jwk',
        )
      }
    })

    test('no jwk, an oct jwk, a jwk that does not fit the alg, a jwk bound to another alg', async () => {
      const { jwk: _jwk, ...noJwk } = goodHeader()
      await refused(await forge(noJwk, goodClaims()), 'jwk')
      await refused(await forge({ ...goodHeader(), jwk: { kty: 'oct', k: 'AQAB' } }, goodClaims()), 'jwk')
      await refused(
        await forge({ ...goodHeader(), jwk: await node.exportJWK(p384.publicKey) }, goodClaims()),
        'jwk',
      )
      await refused(
        await forge({ ...goodHeader(), jwk: { ...publicJwk, alg: 'ES384' } }, goodClaims()),
        'jwk',
      )
      await refused(await forge({ ...goodHeader(), jwk: { ...publicJwk, use: 'enc' } }, goodClaims()), 'jwk')
    })

    test('a typ other than exactly "dpop+jwt", or none', async () => {
      for (const typ of ['JWT', 'DPoP+JWT', 'application/dpop+jwt', undefined]) {
        await refused(await forge({ ...goodHeader(), typ }, goodClaims()), 'typ')
      }
    })

    test('a signature by another key than the jwk, and a changed claim', async () => {
      await refused(await forge(goodHeader(), goodClaims(), other.privateKey), 'signature')
      const [header, , signature] = (await forge(goodHeader(), goodClaims())).split('.')
      await refused(`${header}.${segment({ ...goodClaims(), htm: 'POST' })}.${signature}`, 'signature', {
        htm: 'POST',
      })
    })

    test('an unknown crit extension', async () => {
      assert.ok(await verify(signRaw(goodHeader(), goodClaims())))
      await refused(signRaw({ ...goodHeader(), crit: ['exp'], exp: 1 }, goodClaims()), 'header')
    })

    test('an htm mismatch, including letter case', async () => {
      await refused(await forge(goodHeader(), { ...goodClaims(), htm: 'POST' }), 'htm')
      await refused(await forge(goodHeader(), { ...goodClaims(), htm: 'get' }), 'htm')
    })

    test('an htu with another host, path, scheme or port, or a relative one', async () => {
      for (const htu of [
        'https://evil.example.com/notes',
        'https://api.example.com/notes/1',
        'https://api.example.com/notes/',
        'https://api.example.com/Notes',
        'http://api.example.com/notes',
        'https://api.example.com:8443/notes',
        '/notes',
        42,
      ]) {
        await refused(await forge(goodHeader(), { ...goodClaims(), htu }), 'htu')
      }
    })

    test('(accepted) an htu that differs only by case of scheme and host, default port, query or fragment (§4.3)', async () => {
      for (const htu of [
        'HTTPS://API.EXAMPLE.COM/notes',
        'https://api.example.com:443/notes',
        'https://api.example.com/notes?page=2',
        'https://api.example.com/notes#top',
      ]) {
        assert.ok(await verify(await forge(goodHeader(), { ...goodClaims(), htu })))
      }
      assert.ok(await verify(await forge(goodHeader(), goodClaims()), { htu: `${HTU}?page=3` }))
    })

    test('a proof 10 minutes old, one just past maxAge + tolerance, one from the future', async () => {
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: NOW - 600 }), 'iat')
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: NOW - 306 }), 'iat')
      assert.ok(await verify(await forge(goodHeader(), { ...goodClaims(), iat: NOW - 305 })))
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: NOW + 60 }), 'iat')
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: NOW + 6 }), 'iat')
      assert.ok(await verify(await forge(goodHeader(), { ...goodClaims(), iat: NOW + 5 })))
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: NOW - 61 }), 'iat', {
        maxAge: '1m',
        clockTolerance: 0,
      })
    })

    test('no iat, or an iat that is not a number', async () => {
      const { iat: _iat, ...noIat } = goodClaims()
      await refused(await forge(goodHeader(), noIat), 'iat')
      await refused(await forge(goodHeader(), { ...goodClaims(), iat: String(NOW) }), 'iat')
    })

    test('an ath for another token, and no ath when a token is given', async () => {
      await refused(
        await forge(goodHeader(), { ...goodClaims(), ath: node.calculateAccessTokenHash('other') }),
        'ath',
      )
      const { ath: _ath, ...noAth } = goodClaims()
      await refused(await forge(goodHeader(), noAth), 'ath')
    })

    test('a missing or mismatched nonce, as DPoPNonceRequired (use_dpop_nonce)', async () => {
      const proof = await forge(goodHeader(), goodClaims())
      await refused(proof, 'nonce', { nonce: 'n-2' }, 'ERR_DPOP_NONCE_REQUIRED')
      const withNonce = await forge(goodHeader(), { ...goodClaims(), nonce: 'n-1' })
      await refused(withNonce, 'nonce', { nonce: 'n-2' }, 'ERR_DPOP_NONCE_REQUIRED')
      await refused(withNonce, 'nonce', { nonce: (value) => value === 'n-0' }, 'ERR_DPOP_NONCE_REQUIRED')
      assert.ok(await verify(withNonce, { nonce: 'n-1' }))
      assert.ok(await verify(withNonce, { nonce: (value) => value === 'n-1' || value === 'n-2' }))
    })

    test('a proof by another key than the token is bound to (jkt)', async () => {
      const otherJwk = await node.exportJWK(other.publicKey)
      await refused(await forge({ ...goodHeader(), jwk: otherJwk }, goodClaims(), other.privateKey), 'jkt')
    })

    test('no jti, an empty jti, one over 256 characters', async () => {
      const { jti: _jti, ...noJti } = goodClaims()
      await refused(await forge(goodHeader(), noJti), 'jti')
      await refused(await forge(goodHeader(), { ...goodClaims(), jti: '' }), 'jti')
      await refused(await forge(goodHeader(), { ...goodClaims(), jti: 'j'.repeat(257) }), 'jti')
    })

    test('something that is not one compact JWS', async () => {
      const proof = await forge(goodHeader(), goodClaims())
      await refused(`${proof}.x`, 'proof')
      await refused(proof.split('.').slice(0, 2).join('.'), 'proof')
      await refused(`${proof}${'A'.repeat(8200)}`, 'proof')
      await refused('', 'proof')
      await refused(`${segment(goodHeader())}.bm90IGpzb24.${proof.split('.')[2]}`, 'signature')
    })

    test('the same proof twice with one replay cache; the same jti from another key is another proof', async () => {
      const replay = node.createMemoryReplayCache({ clock: () => NOW * 1000 })
      const proof = await forge(goodHeader(), goodClaims())
      assert.ok(await verify(proof, { replay }))
      await refused(proof, 'jti', { replay }, 'ERR_DPOP_PROOF_REPLAYED')
      const otherJwk = await node.exportJWK(other.publicKey)
      const sameJti = await forge({ ...goodHeader(), jwk: otherJwk }, goodClaims(), other.privateKey)
      assert.ok(await verify(sameJti, { replay, jkt: undefined }))
    })

    test('replay ids are fixed-length hashes of key and jti; expiresAt is iat + maxAge + tolerance', async () => {
      const calls: [string, number][] = []
      const replay = {
        seen: (id: string, expiresAt: number) => {
          calls.push([id, expiresAt])
          return false
        },
      }
      await verify(await forge(goodHeader(), { ...goodClaims(), jti: 'x'.repeat(256) }), { replay })
      await verify(await forge(goodHeader(), { ...goodClaims(), iat: NOW - 10 }), {
        replay,
        maxAge: 120,
        clockTolerance: 3,
      })
      assert.equal(calls[0]![0].length, 43)
      assert.ok(!calls[0]![0].includes('xxxx') && !calls[0]![0].includes(jkt))
      assert.equal(calls[0]![1], NOW + 300 + 5)
      assert.equal(calls[1]![1], NOW - 10 + 120 + 3)
    })

    test('a proof refused for another reason takes no place in the replay cache', async () => {
      const calls: string[] = []
      const replay = {
        seen: (id: string) => {
          calls.push(id)
          return false
        },
      }
      await refused(await forge(goodHeader(), { ...goodClaims(), htm: 'POST' }), 'htm', { replay })
      await refused(
        await forge(goodHeader(), goodClaims()),
        'nonce',
        { replay, nonce: 'n' },
        'ERR_DPOP_NONCE_REQUIRED',
      )
      assert.deepEqual(calls, [])
    })

    test("malformed options are the caller's error, not the proof's", async () => {
      const proof = await forge(goodHeader(), goodClaims())
      for (const options of [
        { htu: 'not a url' },
        { htm: '' },
        { maxAge: 'forever' },
        { clockTolerance: -1 },
        { nonce: '' },
        { replay: {} as never },
        { currentDate: new Date(Number.NaN) },
      ]) {
        await expectCode(() => verify(proof, options), 'ERR_JOSE_OPTION_INVALID')
      }
    })
  })
}
