/**
 * @module What the oauth4webapi DPoP tests share: their set-up (a real server with nonces on, a public
 * client discovered the way the library does it, a key pair), the retry on `use_dpop_nonce`
 * (`isDPoPNonceError`: the handle has kept the new nonce), and the code grant with PKCE walked through
 * the provider's pages under a `DPoP()` handle.
 */
import * as oauth from 'oauth4webapi'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { addClient, addProfileUser, type UserAgent } from '../oidc/interop-fixtures.js'
import { authorizeWithPKCE } from '../oidc/oauth4webapi-authorize.js'

export const insecure = { [oauth.allowInsecureRequests]: true }

/** `request` once, and once more if it failed for want of a nonce (the handle has kept the new one). */
export async function withNonceRetry<T>(request: () => Promise<T>): Promise<{ result: T; retried: boolean }> {
  try {
    return { result: await request(), retried: false }
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error
    return { result: await request(), retried: true }
  }
}

/** A public client registered with `redirectUri`, and the server's metadata as oauth4webapi reads it. */
async function publicClient(
  t: TestServer,
  redirectUri: string,
): Promise<{ as: oauth.AuthorizationServer; client: oauth.Client }> {
  const added = await addClient(t, { type: 'public', redirectUris: [redirectUri] })
  const issuer = new URL(t.url)
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
  return { as, client: { client_id: added.client.id } }
}

/**
 * The set-up of an oauth4webapi DPoP test: a real server with DPoP nonces required, `username`'s account,
 * a public client for `redirectUri` as the library discovers it, and an ES256 key pair for its handles.
 */
export async function startWithPublicClient(
  username: string,
  redirectUri: string,
): Promise<{
  t: TestServer
  userId: string
  as: oauth.AuthorizationServer
  client: oauth.Client
  keyPair: CryptoKeyPair
}> {
  const t = await startTestServer({ dpopNonce: 'required' })
  const userId = await addProfileUser(t, username)
  const { as, client } = await publicClient(t, redirectUri)
  return { t, userId, as, client, keyPair: await oauth.generateKeyPair('ES256') }
}

/**
 * The code grant with PKCE under `DPoP`: `agent` walks the pages to `redirectUri`, then the code is
 * redeemed, once more after a nonce challenge. `params` adds authorization parameters (`dpop_jkt`).
 */
export async function codeGrantWithDPoP(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  agent: UserAgent,
  redirectUri: string,
  DPoP: oauth.DPoPHandle,
  params: Record<string, string>,
): Promise<{ result: oauth.TokenEndpointResponse; retried: boolean }> {
  const {
    callback: walked,
    verifier,
    state,
  } = await authorizeWithPKCE(as, client, agent, redirectUri, params)
  const callback = oauth.validateAuthResponse(as, client, walked, state)
  return withNonceRetry(async () =>
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, redirectUri, verifier, {
        DPoP,
        ...insecure,
      }),
    ),
  )
}
