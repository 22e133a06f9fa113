/**
 * @module `openid-client` (v6) as the real client of the token endpoint under DPoP, with server nonces on:
 * the code grant with PKCE and `dpop_jkt` through the login and consent pages, its first `/token` request
 * challenged with `use_dpop_nonce` and retried by the library with the `DPoP-Nonce` it got, a DPoP-bound
 * token pair (`cnf.jkt` = the handle's thumbprint), a refresh with the same handle, and the refusals of a
 * refresh without a proof or by another key.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oidc from 'openid-client'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { addClient, addProfileUser, UserAgent } from '../oidc/interop-fixtures.js'
import { authorizeWithPKCE } from '../oidc/openid-client-authorize.js'
import { claimsOf } from './dpop-fixtures.js'

const REDIRECT = 'https://spa.example/callback'

describe('openid-client with DPoP at /token (nonces required)', () => {
  let t: TestServer
  let config: oidc.Configuration
  let keyPair: CryptoKeyPair
  let DPoP: oidc.DPoPHandle
  /** Status and `error` of each /token answer, in order. */
  const tokenAnswers: string[] = []
  const agent = new UserAgent('lovelace')

  before(async () => {
    t = await startTestServer({ dpopNonce: 'required' })
    await addProfileUser(t, 'lovelace')
    const { client } = await addClient(t, { type: 'public', redirectUris: [REDIRECT] })
    config = await oidc.discovery(new URL(t.url), client.id, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    })
    config[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options as RequestInit)
      if (new URL(url).pathname === '/token') {
        const body = (await response.clone().json()) as { error?: string }
        tokenAnswers.push(`${response.status}${body.error ? ` ${body.error}` : ''}`)
      }
      return response
    }
    keyPair = await oidc.randomDPoPKeyPair('ES256')
    DPoP = oidc.getDPoPHandle(config, keyPair)
  })
  after(() => t.cleanup())

  test('discovery lists dpop_signing_alg_values_supported', () => {
    assert.ok(config.serverMetadata().dpop_signing_alg_values_supported?.includes('ES256'))
  })

  let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers

  test('code + PKCE + dpop_jkt: one use_dpop_nonce challenge, the retry answered with a DPoP-bound pair', async () => {
    const { callback, verifier, state } = await authorizeWithPKCE(config, agent, REDIRECT, {
      scope: 'openid profile offline_access',
      dpop_jkt: await DPoP.calculateThumbprint(),
    })
    tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier, expectedState: state },
      undefined,
      { DPoP },
    )
    assert.deepEqual(tokenAnswers, ['400 use_dpop_nonce', '200'])
    assert.equal(tokens.token_type, 'dpop')
    assert.deepEqual(claimsOf(tokens.access_token).cnf, { jkt: await DPoP.calculateThumbprint() })
    assert.ok(tokens.refresh_token)
  })

  test('refresh with the same handle: its nonce is still current, so no challenge; the pair stays bound', async () => {
    tokenAnswers.length = 0
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP })
    assert.deepEqual(tokenAnswers, ['200'])
    assert.equal(refreshed.token_type, 'dpop')
    assert.deepEqual(claimsOf(refreshed.access_token).cnf, { jkt: await DPoP.calculateThumbprint() })
    tokens = refreshed
  })

  test('refresh without a proof, or with a handle on another key: invalid_dpop_proof', async () => {
    const refused = (error: unknown) => {
      assert.ok(error instanceof oidc.ResponseBodyError, String(error))
      assert.equal(error.error, 'invalid_dpop_proof')
      return true
    }
    await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token!), refused)
    const other = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'))
    await assert.rejects(
      oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: other }),
      refused,
    )
    // Still the owner's: nothing was revoked.
    const again = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP })
    assert.equal(again.token_type, 'dpop')
  })
})
