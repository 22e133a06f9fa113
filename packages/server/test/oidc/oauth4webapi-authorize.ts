/**
 * @module The front half of the code grant the oauth4webapi tests share: a PKCE verifier and a state made
 * by the library, the authorization URL from the discovered `authorization_endpoint` with `params`
 * (scope, nonce, resource, dpop_jkt…), and `agent` walking the provider's pages until it lands on
 * `redirectUri`. The callback comes back unvalidated, so a test can tamper with it first.
 */
import * as oauth from 'oauth4webapi'
import type { UserAgent } from './interop-fixtures.js'

export async function authorizeWithPKCE(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  agent: UserAgent,
  redirectUri: string,
  params: Record<string, string>,
): Promise<{ callback: URL; verifier: string; state: string }> {
  const verifier = oauth.generateRandomCodeVerifier()
  const state = oauth.generateRandomState()
  const url = new URL(as.authorization_endpoint!)
  url.search = new URLSearchParams({
    client_id: client.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  }).toString()
  return { callback: await agent.walk(url, redirectUri), verifier, state }
}
