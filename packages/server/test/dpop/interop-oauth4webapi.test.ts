/**
 * @module `oauth4webapi` as the real client of the token endpoint under DPoP, with server nonces on: its
 * `DPoP()` handle through the code grant with PKCE and `dpop_jkt`, then refreshes — a fresh handle on the
 * same key knows no nonce, is challenged (`isDPoPNonceError`), keeps the `DPoP-Nonce` and the retry is
 * answered with a pair still bound to the key — a refresh without a proof refused, and a confidential
 * client's client_credentials token bound to its proof.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oauth from 'oauth4webapi'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { addClient, addProfileUser, UserAgent } from '../oidc/interop-fixtures.js'
import { claimsOf } from './dpop-fixtures.js'

const REDIRECT = 'http://localhost:8085/callback'
const insecure = { [oauth.allowInsecureRequests]: true }

/** `request` once, and once more if it failed for want of a nonce (the handle has kept the new one). */
async function withNonceRetry<T>(request: () => Promise<T>): Promise<{ result: T; retried: boolean }> {
  try {
    return { result: await request(), retried: false }
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error
    return { result: await request(), retried: true }
  }
}

describe('oauth4webapi with DPoP at /token (nonces required)', () => {
  let t: TestServer
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let keyPair: CryptoKeyPair
  let jkt: string
  let tokens: oauth.TokenEndpointResponse
  const agent = new UserAgent('hamilton')

  before(async () => {
    t = await startTestServer({ dpopNonce: 'required' })
    await addProfileUser(t, 'hamilton')
    const added = await addClient(t, { type: 'public', redirectUris: [REDIRECT] })
    client = { client_id: added.client.id }
    const issuer = new URL(t.url)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
    keyPair = await oauth.generateKeyPair('ES256')
    jkt = await oauth.DPoP(client, keyPair).calculateThumbprint()
  })
  after(() => t.cleanup())

  const refresh = (DPoP?: oauth.DPoPHandle) =>
    withNonceRetry(async () =>
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, {
          ...(DPoP ? { DPoP } : {}),
          ...insecure,
        }),
      ),
    )

  test('code + PKCE + dpop_jkt: challenged once for a nonce, then a pair bound to the key', async () => {
    const DPoP = oauth.DPoP(client, keyPair)
    const verifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      dpop_jkt: jkt,
    }).toString()
    const params = oauth.validateAuthResponse(as, client, await agent.walk(url, REDIRECT), state)
    const { result, retried } = await withNonceRetry(async () =>
      oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, verifier, {
          DPoP,
          ...insecure,
        }),
      ),
    )
    assert.equal(retried, true, 'the token endpoint asked for a nonce first')
    assert.equal(result.token_type, 'dpop')
    assert.deepEqual(claimsOf(result.access_token).cnf, { jkt })
    tokens = result
  })

  test('refresh with a fresh handle on the same key: the nonce challenge, the retry, a bound pair', async () => {
    const { result, retried } = await refresh(oauth.DPoP(client, keyPair))
    assert.equal(retried, true)
    assert.equal(result.token_type, 'dpop')
    assert.deepEqual(claimsOf(result.access_token).cnf, { jkt })
    tokens = result
  })

  test('refresh without a proof is refused with invalid_dpop_proof, and the family lives on', async () => {
    await assert.rejects(refresh(), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError, String(error))
      assert.equal(error.error, 'invalid_dpop_proof')
      return true
    })
    const { result } = await refresh(oauth.DPoP(client, keyPair))
    assert.equal(result.token_type, 'dpop')
  })

  test('client_credentials of a confidential client with a DPoP handle: a bound token', async () => {
    const { client: registered, secret } = await addClient(t, {
      redirectUris: [],
      grantTypes: ['client_credentials'],
      scope: 'api',
    })
    const machine: oauth.Client = { client_id: registered.id }
    const DPoP = oauth.DPoP(machine, keyPair)
    const { result } = await withNonceRetry(async () =>
      oauth.processClientCredentialsResponse(
        as,
        machine,
        await oauth.clientCredentialsGrantRequest(
          as,
          machine,
          oauth.ClientSecretBasic(secret!),
          new URLSearchParams({ scope: 'api' }),
          { DPoP, ...insecure },
        ),
      ),
    )
    assert.equal(result.token_type, 'dpop')
    assert.deepEqual(claimsOf(result.access_token).cnf, { jkt })
  })
})
