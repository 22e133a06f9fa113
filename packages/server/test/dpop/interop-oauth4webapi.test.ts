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
import {
  codeGrantWithDPoP,
  insecure,
  startWithPublicClient,
  withNonceRetry,
} from '../dpop-resources/oauth4webapi-dpop.js'
import type { TestServer } from '../helpers/test-server.js'
import { addClient, UserAgent } from '../oidc/interop-fixtures.js'
import { claimsOf } from './dpop-fixtures.js'

const REDIRECT = 'http://localhost:8085/callback'

describe('oauth4webapi with DPoP at /token (nonces required)', () => {
  let t: TestServer
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let keyPair: CryptoKeyPair
  let jkt: string
  let tokens: oauth.TokenEndpointResponse
  const agent = new UserAgent('hamilton')

  before(async () => {
    ;({ t, as, client, keyPair } = await startWithPublicClient('hamilton', REDIRECT))
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
    const { result, retried } = await codeGrantWithDPoP(
      as,
      client,
      agent,
      REDIRECT,
      oauth.DPoP(client, keyPair),
      {
        scope: 'openid offline_access',
        dpop_jkt: jkt,
      },
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
