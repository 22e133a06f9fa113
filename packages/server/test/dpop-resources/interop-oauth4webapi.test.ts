/**
 * @module `oauth4webapi` as the real client of our protected resources under DPoP, with server nonces on:
 * its `DPoP()` handle gets a DPoP-bound token by the code grant (retrying once on `use_dpop_nonce`), then
 * calls `/userinfo` (`userInfoRequest`) and `/me` (`protectedResourceRequest`). A fresh handle with the
 * same key knows no nonce: the resource answers 401 `use_dpop_nonce` with `DPoP-Nonce`, the handle keeps
 * it, `isDPoPNonceError` says so, and the retry succeeds. A handle with another key is refused.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oauth from 'oauth4webapi'
import type { TestServer } from '../helpers/test-server.js'
import { UserAgent } from '../oidc/interop-fixtures.js'
import { codeGrantWithDPoP, insecure, startWithPublicClient, withNonceRetry } from './oauth4webapi-dpop.js'

const REDIRECT = 'http://localhost:8084/callback'

describe('oauth4webapi with DPoP at /userinfo and /me (server nonces on)', () => {
  let t: TestServer
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let userId: string
  let keyPair: CryptoKeyPair
  let tokens: oauth.TokenEndpointResponse
  const agent = new UserAgent('hopper')

  before(async () => {
    ;({ t, userId, as, client, keyPair } = await startWithPublicClient('hopper', REDIRECT))
  })
  after(() => t.cleanup())

  test('the discovery document lists the proof algorithms', () => {
    assert.ok(as.dpop_signing_alg_values_supported?.includes('ES256'))
  })

  test('the code grant under DPoP gives a DPoP-bound token (after one nonce retry)', async () => {
    const { result, retried } = await codeGrantWithDPoP(
      as,
      client,
      agent,
      REDIRECT,
      oauth.DPoP(client, keyPair),
      {
        scope: 'openid profile email',
      },
    )
    assert.equal(retried, true, 'the token endpoint asked for a nonce first')
    assert.equal(result.token_type, 'dpop')
    tokens = result
  })

  test('userInfoRequest: a fresh handle is challenged for a nonce, keeps it, and the retry succeeds', async () => {
    const DPoP = oauth.DPoP(client, keyPair)
    const { result, retried } = await withNonceRetry(async () =>
      oauth.processUserInfoResponse(
        as,
        client,
        userId,
        await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure }),
      ),
    )
    assert.equal(retried, true)
    assert.equal(result.sub, userId)
    assert.equal(result.preferred_username, 'hopper')
    // The handle now holds the nonce: the next call goes through at once.
    const again = await oauth.processUserInfoResponse(
      as,
      client,
      userId,
      await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure }),
    )
    assert.equal(again.sub, userId)
  })

  test('protectedResourceRequest at /me: nonce challenge, then the answer', async () => {
    const DPoP = oauth.DPoP(client, keyPair)
    const me = new URL('/me', t.url)
    let challenge: unknown
    try {
      await oauth.protectedResourceRequest(tokens.access_token, 'GET', me, undefined, undefined, {
        DPoP,
        ...insecure,
      })
    } catch (error) {
      challenge = error
    }
    assert.ok(oauth.isDPoPNonceError(challenge), `a nonce challenge, not ${String(challenge)}`)
    const response = await oauth.protectedResourceRequest(
      tokens.access_token,
      'GET',
      me,
      undefined,
      undefined,
      { DPoP, ...insecure },
    )
    assert.equal(response.status, 200)
    assert.ok(response.headers.get('dpop-nonce'), 'each DPoP answer hands out the current nonce')
    const body = (await response.json()) as Record<string, unknown>
    assert.equal(body.sub, userId)
    assert.equal(body.username, 'hopper')
  })

  test('a handle with another key is refused with invalid_dpop_proof', async () => {
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))
    const me = new URL('/me', t.url)
    let refusal: unknown
    try {
      await withNonceRetry(() =>
        oauth.protectedResourceRequest(tokens.access_token, 'GET', me, undefined, undefined, {
          DPoP,
          ...insecure,
        }),
      )
    } catch (error) {
      refusal = error
    }
    assert.ok(refusal instanceof oauth.WWWAuthenticateChallengeError, String(refusal))
    const [challenge] = refusal.cause
    assert.equal(challenge?.scheme, 'dpop')
    assert.equal(challenge?.parameters.error, 'invalid_dpop_proof')
  })
})
