/**
 * @module `oauth4webapi`'s strict processing of every response the provider gives a public client:
 * discovery, the authorization response with RFC 9207 `iss` (validateAuthResponse), the token response
 * and its ID token (processAuthorizationCodeResponse), userinfo (processUserInfoResponse), refresh,
 * revocation, and the RFC 9068 access token at a resource server (validateJwtAccessToken).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oauth from 'oauth4webapi'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { addClient, addProfileUser, UserAgent } from './interop-fixtures.js'
import { authorizeWithPKCE } from './oauth4webapi-authorize.js'

const REDIRECT = 'http://localhost:8082/callback'
const RESOURCE = 'https://photos-api.example'
const insecure = { [oauth.allowInsecureRequests]: true }

describe('oauth4webapi processes every response strictly', () => {
  let t: TestServer
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let userId: string
  const agent = new UserAgent('grace')

  before(async () => {
    t = await startTestServer({ resources: [RESOURCE] } as never)
    userId = await addProfileUser(t, 'grace')
    const added = await addClient(t, { type: 'public', redirectUris: [REDIRECT] })
    client = { client_id: added.client.id }
    const issuer = new URL(t.url)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
  })
  after(() => t.cleanup())

  async function authorize(extra: Record<string, string> = {}) {
    const nonce = oauth.generateRandomNonce()
    const walked = await authorizeWithPKCE(as, client, agent, REDIRECT, {
      scope: 'openid profile email offline_access',
      nonce,
      ...extra,
    })
    return { ...walked, nonce }
  }

  let tokens: oauth.TokenEndpointResponse

  test('the authorization response carries our iss, and a changed iss is a mix-up refused', async () => {
    const { callback, verifier, state, nonce } = await authorize()
    const forged = new URL(callback)
    forged.searchParams.set('iss', 'https://attacker.example')
    assert.throws(() => oauth.validateAuthResponse(as, client, forged, state), /iss/)
    const missing = new URL(callback)
    missing.searchParams.delete('iss')
    assert.throws(() => oauth.validateAuthResponse(as, client, missing, state), /iss/)

    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      REDIRECT,
      verifier,
      insecure,
    )
    assert.equal(response.headers.get('cache-control'), 'no-store')
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    })
    const claims = oauth.getValidatedIdTokenClaims(tokens)!
    assert.equal(claims.iss, t.url)
    assert.equal(claims.sub, userId)
    assert.equal(claims.aud, client.client_id)
    assert.equal(claims.nonce, nonce)
    assert.equal(typeof claims.sid, 'string')
    assert.ok(tokens.refresh_token)
  })

  test('userinfo passes processUserInfoResponse for the right subject, and refuses another', async () => {
    const info = await oauth.processUserInfoResponse(
      as,
      client,
      userId,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    )
    assert.equal(info.sub, userId)
    assert.equal(info.email, 'grace@example.com')
    await assert.rejects(
      oauth.processUserInfoResponse(
        as,
        client,
        'someone-else',
        await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
      ),
    )
  })

  test('the access token passes validateJwtAccessToken at a resource server; the ID token does not', async () => {
    const atRs = (token: string) =>
      new Request('https://api.example/photos', { headers: { authorization: `Bearer ${token}` } })
    const claims = await oauth.validateJwtAccessToken(
      as,
      atRs(tokens.access_token),
      t.config.audience,
      insecure,
    )
    assert.equal(claims.sub, userId)
    assert.equal(claims.client_id, client.client_id)
    assert.match(String(claims.scope), /\bopenid\b/)
    await assert.rejects(
      oauth.validateJwtAccessToken(as, atRs(tokens.id_token!), client.client_id, insecure),
      /typ|at\+jwt/i,
    )
  })

  test('an RFC 8707 resource becomes the access token audience', async () => {
    const { callback, verifier, state, nonce } = await authorize({ resource: RESOURCE })
    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      REDIRECT,
      verifier,
      { ...insecure, additionalParameters: { resource: RESOURCE } },
    )
    const scoped = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
    })
    const request = new Request(`${RESOURCE}/albums`, {
      headers: { authorization: `Bearer ${scoped.access_token}` },
    })
    const claims = await oauth.validateJwtAccessToken(as, request, RESOURCE, insecure)
    assert.equal(claims.aud, RESOURCE)
  })

  test('refresh passes processRefreshTokenResponse; revocation passes processRevocationResponse', async () => {
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, insecure),
    )
    assert.ok(refreshed.access_token)
    const rotated = refreshed.refresh_token!
    assert.ok(rotated && rotated !== tokens.refresh_token)
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), rotated, insecure),
    )
    await assert.rejects(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), rotated, insecure),
      ),
      (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant',
    )
  })
})
