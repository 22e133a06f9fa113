/**
 * @module DPoP cross-checks with the `jose` npm package (devDependency), which has no DPoP helper: a proof built
 * by hand with `jose` (SignJWT, the public JWK in the header) verifies with ours, and ours verifies with jose's
 * `jwtVerify` over the embedded key, with the thumbprint jose's `calculateJwkThumbprint` computes.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import * as jose from 'jose'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'

const REQUEST = { htm: 'POST', htu: 'https://auth.example.com/auth/refresh' }
const TOKEN = 'access-token-for-cross-check'

describe('DPoP proofs between ours and jose', () => {
  for (const alg of ['ES256', 'ES384', 'EdDSA', 'PS256'] as const) {
    test(`${alg}: a proof jose builds by hand verifies with ours (Node and WebCrypto)`, async () => {
      const { privateKey, publicKey } = await jose.generateKeyPair(alg)
      const { kty, crv, x, y, n, e } = await jose.exportJWK(publicKey)
      const jwk = Object.fromEntries(
        Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined),
      )
      const ath = createHash('sha256').update(TOKEN).digest('base64url')
      const proof = await new jose.SignJWT({ htm: REQUEST.htm, htu: REQUEST.htu, ath })
        .setProtectedHeader({ typ: 'dpop+jwt', alg, jwk })
        .setIssuedAt()
        .setJti(crypto.randomUUID())
        .sign(privateKey)
      const thumbprint = await jose.calculateJwkThumbprint(jwk)
      const options = { ...REQUEST, accessToken: TOKEN, jkt: thumbprint }
      assert.equal(node.verifyDPoPProof(proof, options).jkt, thumbprint)
      assert.equal((await webcrypto.verifyDPoPProof(proof, options)).jkt, thumbprint)
    })

    test(`${alg}: a proof ours makes verifies with jose's jwtVerify over the embedded jwk`, async () => {
      const { privateKey, publicKey } = await node.generateKeyPair(alg)
      const proof = node.createDPoPProof({ key: privateKey, alg, ...REQUEST, accessToken: TOKEN })
      const { payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: [alg],
      })
      assert.equal(payload.htm, REQUEST.htm)
      assert.equal(payload.htu, REQUEST.htu)
      assert.equal(payload.ath, createHash('sha256').update(TOKEN).digest('base64url'))
      assert.equal(typeof payload.jti, 'string')
      assert.equal(
        await jose.calculateJwkThumbprint(protectedHeader.jwk!),
        await node.calculateJwkThumbprint(publicKey),
      )
      assert.equal(
        node.verifyDPoPProof(proof, { ...REQUEST, accessToken: TOKEN }).jkt,
        await jose.calculateJwkThumbprint(protectedHeader.jwk!),
      )
    })
  }

  test('a jose-built proof with the private key in its jwk is refused by ours', async () => {
    const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true })
    const jwk = await jose.exportJWK(privateKey)
    const proof = await new jose.SignJWT({ ...REQUEST })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setIssuedAt()
      .setJti('j-1')
      .sign(privateKey)
    assert.throws(
      () => node.verifyDPoPProof(proof, REQUEST),
      (error: node.DPoPProofInvalid) => error.code === 'ERR_DPOP_PROOF_INVALID' && error.reason === 'jwk',
    )
  })
})
