/**
 * @module Cross-checks with the `jose` npm package (devDependency) for every algorithm both implement: what one
 * signs the other verifies, both directions, in compact, flattened and general JSON; a one-bit change in the
 * header, payload or signature of a `jose` token is refused by ours with ERR_JWS_SIGNATURE_INVALID.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, test } from 'node:test'
import * as jose from 'jose'
import {
  compactSign,
  compactVerify,
  type FlattenedJWS,
  flattenedSign,
  flattenedVerify,
  type GeneralJWS,
  generalSign,
  generalVerify,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, text, utf8 } from './support/vectors.ts'

// One key per shape, generated once (RSA-2048 generation is the slow part of this file).
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })
const ed25519 = generateKeyPairSync('ed25519')
const secret = (bytes: number) => new Uint8Array(bytes).map((_, i) => (i * 31 + 7) & 0xff)

type Keys = { sign: KeyObject | Uint8Array; verify: KeyObject | Uint8Array }
const ALGORITHMS: Record<string, Keys> = {
  HS256: { sign: secret(32), verify: secret(32) },
  HS384: { sign: secret(48), verify: secret(48) },
  HS512: { sign: secret(64), verify: secret(64) },
  RS256: { sign: rsa.privateKey, verify: rsa.publicKey },
  RS384: { sign: rsa.privateKey, verify: rsa.publicKey },
  RS512: { sign: rsa.privateKey, verify: rsa.publicKey },
  PS256: { sign: rsa.privateKey, verify: rsa.publicKey },
  PS384: { sign: rsa.privateKey, verify: rsa.publicKey },
  PS512: { sign: rsa.privateKey, verify: rsa.publicKey },
  ES256: { sign: p256.privateKey, verify: p256.publicKey },
  ES384: { sign: p384.privateKey, verify: p384.publicKey },
  ES512: { sign: p521.privateKey, verify: p521.publicKey },
  EdDSA: { sign: ed25519.privateKey, verify: ed25519.publicKey },
  Ed25519: { sign: ed25519.privateKey, verify: ed25519.publicKey },
}

const PAYLOAD = 'cross-check payload: ünïcödé and "quotes"'

/** Flips bit `bit` of byte `index` (negative counts from the end) of a base64url segment, re-encoded canonically. */
function flip(segment: string, index: number, bit: number): string {
  const bytes = Buffer.from(segment, 'base64url')
  const at = index < 0 ? bytes.length + index : index
  bytes[at]! ^= 1 << bit
  return bytes.toString('base64url')
}

/** The header is {"alg":…,"kid":"k1"}: flipping bit 0 of its third-from-last byte turns "k1" into "k0" (valid JSON). */
const HEADER_FLIP = { index: -3, bit: 0 }

for (const [alg, keys] of Object.entries(ALGORITHMS)) {
  const options = { algorithms: [alg] }
  const header = { alg, kid: 'k1' }
  describe(`jose ⇄ tessera ${alg}`, () => {
    test(`${alg} compact: jose signs, ours verifies`, async () => {
      const jws = await new jose.CompactSign(utf8(PAYLOAD)).setProtectedHeader(header).sign(keys.sign)
      const result = await compactVerify(jws, keys.verify, options)
      assert.equal(text(result.payload), PAYLOAD)
      assert.deepEqual(result.protectedHeader, header)
    })
    test(`${alg} compact: ours signs, jose verifies`, async () => {
      const jws = await compactSign(utf8(PAYLOAD), keys.sign, header)
      const result = await jose.compactVerify(jws, keys.verify, options)
      assert.equal(text(result.payload), PAYLOAD)
    })
    test(`${alg} flattened: both directions`, async () => {
      const fromJose = await new jose.FlattenedSign(utf8(PAYLOAD))
        .setProtectedHeader(header)
        .setUnprotectedHeader({ x: 1 })
        .sign(keys.sign)
      const ours = await flattenedVerify(fromJose as FlattenedJWS, keys.verify, options)
      assert.equal(text(ours.payload), PAYLOAD)
      assert.deepEqual(ours.header, { x: 1 })
      const fromUs = await flattenedSign(utf8(PAYLOAD), keys.sign, header, { x: 1 })
      assert.equal(text((await jose.flattenedVerify(fromUs, keys.verify, options)).payload), PAYLOAD)
    })
    test(`${alg} general: both directions (two signatures)`, async () => {
      const fromJose = await new jose.GeneralSign(utf8(PAYLOAD))
        .addSignature(keys.sign)
        .setProtectedHeader(header)
        .addSignature(keys.sign)
        .setProtectedHeader({ alg, kid: 'k2' })
        .sign()
      const ours = await generalVerify(fromJose as GeneralJWS, keys.verify, options)
      assert.equal(text(ours.payload), PAYLOAD)
      const fromUs = await generalSign(utf8(PAYLOAD), [
        { key: keys.sign, protectedHeader: header },
        { key: keys.sign, protectedHeader: { alg, kid: 'k2' } },
      ])
      assert.equal(text((await jose.generalVerify(fromUs, keys.verify, options)).payload), PAYLOAD)
    })
    test(`${alg} compact: a one-bit change in the header, payload or signature of a jose token is refused`, async () => {
      const jws = await new jose.CompactSign(utf8(PAYLOAD)).setProtectedHeader(header).sign(keys.sign)
      const [h, p, s] = jws.split('.') as [string, string, string]
      const changed = [
        [flip(h, HEADER_FLIP.index, HEADER_FLIP.bit), p, s],
        [h, flip(p, 0, 0), s],
        [h, flip(p, -1, 7), s],
        [h, p, flip(s, 0, 0)],
        [h, p, flip(s, Math.floor(Buffer.from(s, 'base64url').length / 2), 3)],
        [h, p, flip(s, -1, 0)],
      ]
      assert.deepEqual(JSON.parse(Buffer.from(changed[0]![0]!, 'base64url').toString()), { alg, kid: 'k0' })
      for (const parts of changed) {
        await expectCode(
          () => compactVerify(parts.join('.'), keys.verify, options),
          'ERR_JWS_SIGNATURE_INVALID',
        )
      }
    })
    test(`${alg} flattened and general: a one-bit change in a jose signature is refused`, async () => {
      const flat = await new jose.FlattenedSign(utf8(PAYLOAD)).setProtectedHeader(header).sign(keys.sign)
      await expectCode(
        () =>
          flattenedVerify(
            { ...flat, signature: flip(flat.signature, 1, 5) } as FlattenedJWS,
            keys.verify,
            options,
          ),
        'ERR_JWS_SIGNATURE_INVALID',
      )
      await expectCode(
        () =>
          flattenedVerify(
            { ...flat, payload: flip(flat.payload, 2, 1) } as FlattenedJWS,
            keys.verify,
            options,
          ),
        'ERR_JWS_SIGNATURE_INVALID',
      )
      const general = await new jose.GeneralSign(utf8(PAYLOAD))
        .addSignature(keys.sign)
        .setProtectedHeader(header)
        .sign()
      const entry = general.signatures[0]!
      await expectCode(
        () =>
          generalVerify(
            { ...general, signatures: [{ ...entry, signature: flip(entry.signature, -2, 6) }] } as GeneralJWS,
            keys.verify,
            options,
          ),
        'ERR_JWS_SIGNATURE_INVALID',
      )
    })
  })
}

describe('jose ⇄ tessera JWT', () => {
  test('a JWT from jose.SignJWT passes our verifyJWT claim checks, and ours passes jose.jwtVerify', async () => {
    const now = Math.floor(Date.now() / 1000)
    const fromJose = await new jose.SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer('https://issuer.example')
      .setAudience('api')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(p256.privateKey)
    const ours = await verifyJWT(fromJose, p256.publicKey, {
      algorithms: ['ES256'],
      issuer: 'https://issuer.example',
      audience: 'api',
      typ: 'at+jwt',
    })
    assert.equal(ours.payload.sub, 'u1')
    const fromUs = await signJWT({ sub: 'u2' }, p256.privateKey, {
      alg: 'ES256',
      typ: 'at+jwt',
      issuer: 'https://issuer.example',
      audience: 'api',
      expiresIn: '1m',
    })
    const theirs = await jose.jwtVerify(fromUs, p256.publicKey, {
      algorithms: ['ES256'],
      issuer: 'https://issuer.example',
      audience: 'api',
      typ: 'at+jwt',
    })
    assert.equal(theirs.payload.sub, 'u2')
  })
})
