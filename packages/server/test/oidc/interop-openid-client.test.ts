/**
 * @module `openid-client` (the certified relying-party library) drives the whole flow against a real
 * server: discovery, code + PKCE + state + nonce, ID-token validation, userinfo, refresh, introspection,
 * revocation and RP-initiated logout — what one standard client needs to work against Tessera unchanged.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oidc from 'openid-client'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { addClient, addProfileUser, UserAgent } from './interop-fixtures.js'
import { authorizeWithPKCE } from './openid-client-authorize.js'

const REDIRECT = 'https://notes.example/callback'
const SIGNED_OUT = 'https://notes.example/signed-out'

describe('openid-client as the relying party', () => {
  let t: TestServer
  let config: oidc.Configuration
  let userId: string
  let clientId: string
  const agent = new UserAgent('ada')

  before(async () => {
    t = await startTestServer()
    userId = await addProfileUser(t, 'ada')
    const { client, secret } = await addClient(t, {
      redirectUris: [REDIRECT],
      postLogoutRedirectUris: [SIGNED_OUT],
    })
    clientId = client.id
    config = await oidc.discovery(new URL(t.url), clientId, secret, oidc.ClientSecretBasic(secret), {
      execute: [oidc.allowInsecureRequests],
    })
  })
  after(() => t.cleanup())

  test('discovery: the issuer is the URL the client was given, and the endpoints it needs are there', () => {
    const m = config.serverMetadata()
    assert.equal(m.issuer, t.url)
    for (const name of [
      'authorization_endpoint',
      'token_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
      'end_session_endpoint',
      'revocation_endpoint',
    ] as const) {
      assert.ok(m[name]?.startsWith(t.url), `${name} is ${m[name]}`)
    }
    assert.deepEqual(m.code_challenge_methods_supported, ['S256'])
    assert.equal(m.authorization_response_iss_parameter_supported, true)
    assert.ok(m.id_token_signing_alg_values_supported?.includes('RS256'))
  })

  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
  let nonce: string

  test('code + PKCE: the login and consent pages, then a code whose ID token passes every check', async () => {
    nonce = oidc.randomNonce()
    const { callback, verifier, state } = await authorizeWithPKCE(config, agent, REDIRECT, {
      scope: 'openid profile email offline_access',
      nonce,
    })
    assert.equal(agent.passwordsTyped, 1)
    assert.equal(callback.searchParams.get('iss'), t.url, 'RFC 9207 iss on the authorization response')
    tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()!
    assert.equal(claims.iss, t.url)
    assert.equal(claims.sub, userId)
    assert.equal(claims.aud, clientId)
    assert.equal(claims.nonce, nonce)
    assert.equal(typeof claims.auth_time, 'number')
    assert.equal(typeof claims.sid, 'string')
    assert.equal(typeof claims.at_hash, 'string')
    assert.ok(Array.isArray(claims.amr))
    assert.equal(tokens.token_type.toLowerCase(), 'bearer')
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token')
  })

  test('a second authorization reuses the provider session: no password typed', async () => {
    const { callback } = await authorizeWithPKCE(config, agent, REDIRECT, {
      scope: 'openid profile email',
      nonce: oidc.randomNonce(),
      prompt: 'none',
    })
    assert.equal(agent.passwordsTyped, 1)
    assert.ok(callback.searchParams.get('code'), `no code: ${callback.search}`)
  })

  test('userinfo: sub matches, profile and email claims for the scopes granted', async () => {
    const info = await oidc.fetchUserInfo(config, tokens.access_token, userId)
    assert.equal(info.sub, userId)
    assert.equal(info.preferred_username, 'ada')
    assert.equal(info.name, 'Ada ada')
    assert.equal(info.email, 'ada@example.com')
    assert.equal(info.email_verified, true)
  })

  test('userinfo refuses the ID token presented as an access token', async () => {
    await assert.rejects(oidc.fetchUserInfo(config, tokens.id_token!, userId), (error: unknown) => {
      assert.ok(
        error instanceof oidc.WWWAuthenticateChallengeError || error instanceof oidc.ResponseBodyError,
      )
      return true
    })
  })

  let refreshed: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>

  test('refresh: new tokens, the old refresh token rotated out', async () => {
    refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    assert.ok(refreshed.access_token)
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token)
    const claims = refreshed.claims()
    if (claims) assert.equal(claims.sub, userId)
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, userId)
    assert.equal(info.sub, userId)
  })

  test("introspection with the client's own credentials: the access token is active, for this client", async () => {
    const answer = await oidc.tokenIntrospection(config, refreshed.access_token)
    assert.equal(answer.active, true)
    assert.equal(answer.client_id, clientId)
    assert.equal(answer.sub, userId)
  })

  test('revocation: a revoked refresh token no longer refreshes', async () => {
    const again = await oidc.refreshTokenGrant(config, refreshed.refresh_token!)
    await oidc.tokenRevocation(config, again.refresh_token!)
    await assert.rejects(oidc.refreshTokenGrant(config, again.refresh_token!), (error: unknown) => {
      assert.ok(error instanceof oidc.ResponseBodyError, String(error))
      assert.equal(error.error, 'invalid_grant')
      return true
    })
  })

  test('RP-initiated logout: back to the registered post-logout URI with state, the session ended', async () => {
    // A fresh session's tokens, to see them go with the session.
    const liveNonce = oidc.randomNonce()
    const { callback, verifier, state } = await authorizeWithPKCE(config, agent, REDIRECT, {
      scope: 'openid offline_access',
      nonce: liveNonce,
    })
    const live = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: liveNonce,
    })
    const logoutState = oidc.randomState()
    const end = oidc.buildEndSessionUrl(config, {
      id_token_hint: live.id_token!,
      post_logout_redirect_uri: SIGNED_OUT,
      state: logoutState,
    })
    const back = await agent.walk(end, SIGNED_OUT)
    assert.equal(back.origin + back.pathname, SIGNED_OUT)
    assert.equal(back.searchParams.get('state'), logoutState)
    assert.equal(agent.logoutConfirmations, 0, 'the id_token_hint proves the session: no confirmation page')

    // The provider session is gone: prompt=none now answers login_required.
    const { callback: answer } = await authorizeWithPKCE(config, agent, REDIRECT, {
      scope: 'openid',
      prompt: 'none',
    })
    assert.equal(answer.searchParams.get('error'), 'login_required')
    // …and the refresh tokens of that session are revoked.
    await assert.rejects(oidc.refreshTokenGrant(config, live.refresh_token!), (error: unknown) => {
      assert.ok(error instanceof oidc.ResponseBodyError, String(error))
      assert.equal(error.error, 'invalid_grant')
      return true
    })
  })
})
