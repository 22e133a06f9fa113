/**
 * @module The demo apps' logout-token check (OpenID Back-Channel Logout 1.0 §2.6) against a real JWKS
 * over HTTP: a good token passes once; each forged or altered one (another key, another issuer or
 * audience, `typ` JWT, a nonce, no event, neither sid nor sub, old, replayed) is refused with its reason.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { BACKCHANNEL_EVENT, LogoutTokenInvalid, logoutTokenVerifier } from '../src/logout-token.js'

const ISSUER = 'http://127.0.0.1:8080'
const CLIENT = 'notes'

describe('logout token verification', () => {
  let server: Server
  let key: CryptoKey
  let otherKey: CryptoKey
  let verifier: ReturnType<typeof logoutTokenVerifier>

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true })
    key = pair.privateKey
    otherKey = (await generateKeyPair('RS256')).privateKey
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    verifier = logoutTokenVerifier({
      issuer: ISSUER,
      clientId: CLIENT,
      jwksUri: `http://127.0.0.1:${port}/jwks.json`,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
    })
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  let serial = 0
  function token(
    claims: JWTPayload = {},
    options: { typ?: string; signWith?: CryptoKey; iat?: number } = {},
  ): Promise<string> {
    const payload: JWTPayload = {
      iss: ISSUER,
      aud: CLIENT,
      sid: 'sid-1',
      sub: 'user-1',
      jti: `jti-${++serial}`,
      events: { [BACKCHANNEL_EVENT]: {} },
      ...claims,
    }
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name]
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: options.typ ?? 'logout+jwt' })
      .setIssuedAt(options.iat ?? Math.floor(Date.now() / 1000))
      .setExpirationTime('2m')
      .sign(options.signWith ?? key)
  }

  const refused = async (jwt: Promise<string>, reason: RegExp) =>
    assert.rejects(verifier.verify(await jwt), (error: unknown) => {
      assert.ok(error instanceof LogoutTokenInvalid)
      assert.equal(error.code, 'ERR_DEMO_LOGOUT_TOKEN_INVALID')
      assert.match(error.message, reason)
      return true
    })

  test('a good logout token passes and names its sid and sub', async () => {
    const claims = await verifier.verify(await token())
    assert.equal(claims.sid, 'sid-1')
    assert.equal(claims.sub, 'user-1')
  })

  test('a token with only sub passes (the provider may send either)', async () => {
    const claims = await verifier.verify(await token({ sid: undefined }))
    assert.equal(claims.sid, undefined)
    assert.equal(claims.sub, 'user-1')
  })

  test('signed by a key not in the JWKS: refused', () =>
    refused(token({}, { signWith: otherKey }), /signature/))
  test('another issuer: refused', () => refused(token({ iss: 'https://evil.example' }), /iss/))
  test('another audience: refused', () => refused(token({ aud: 'photos' }), /aud/))
  test('typ JWT (an ID token, say): refused', () => refused(token({}, { typ: 'JWT' }), /typ/))
  test('a nonce: refused', () => refused(token({ nonce: 'n' }), /nonce/))
  test('no back-channel logout event: refused', () => refused(token({ events: {} }), /events/))
  test('the event as a string, not an object: refused', () =>
    refused(token({ events: { [BACKCHANNEL_EVENT]: 'yes' } }), /events/))
  test('neither sid nor sub: refused', () =>
    refused(token({ sid: undefined, sub: undefined }), /sid nor sub/))
  test('issued ten minutes ago: refused', () =>
    refused(token({}, { iat: Math.floor(Date.now() / 1000) - 600 }), /iat|age|old/i))
  test('no jti: refused', () => refused(token({ jti: undefined }), /jti/))

  test('the same token twice: the second is refused', async () => {
    const jwt = await token()
    await verifier.verify(jwt)
    await refused(Promise.resolve(jwt), /already used/)
  })
})
