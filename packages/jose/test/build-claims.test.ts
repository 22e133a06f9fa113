/**
 * @module The claims a signer emits: the caller's, copied (never mutated), then the template's. The copy is
 * `Object.assign` for speed (issue 5: a spread copy costs more than the HMAC on Node 20), so these cases pin
 * the behaviour the spread had: an own "__proto__" member stays a plain claim, and the caller's object is
 * left alone.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createSigner, decodeJWT, signJWT } from '../src/node.ts'

const SECRET = new Uint8Array(32).fill(7)
const NOW_MS = 1_800_000_000_000
const options = { alg: 'HS256', issuer: 'https://issuer.example', audience: 'api', expiresIn: 60 }

describe('signed claims are a copy of the caller’s plus the template', () => {
  const sign = createSigner({ key: SECRET, ...options, clock: () => NOW_MS })
  const signers: [string, (claims: Record<string, unknown>) => Promise<string>][] = [
    ['createSigner', async (claims) => sign(claims)],
    ['signJWT', (claims) => signJWT(claims, SECRET, { ...options, currentDate: new Date(NOW_MS) })],
  ]
  for (const [name, signWith] of signers) {
    test(`${name}: an own "__proto__" member is signed as a plain claim, not as a prototype`, async () => {
      const claims = JSON.parse('{"sub":"u1","__proto__":{"admin":true}}') as Record<string, unknown>
      const payload = decodeJWT(await signWith(claims))
      assert.ok(Object.hasOwn(payload, '__proto__'))
      assert.deepEqual(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value, { admin: true })
      assert.equal(Object.hasOwn(payload, 'admin'), false)
      assert.equal((payload as { admin?: unknown }).admin, undefined)
    })
    test(`${name}: the caller's object is not mutated`, async () => {
      const claims = { sub: 'u1', roles: ['a'] }
      await signWith(claims)
      assert.deepEqual(claims, { sub: 'u1', roles: ['a'] })
    })
    test(`${name}: template claims win over the caller's`, async () => {
      const payload = decodeJWT(await signWith({ sub: 'u1', iss: 'https://evil.example', exp: 1, iat: 2 }))
      assert.deepEqual(payload, {
        sub: 'u1',
        iss: 'https://issuer.example',
        aud: 'api',
        iat: NOW_MS / 1000,
        exp: NOW_MS / 1000 + 60,
      })
    })
  }
})
