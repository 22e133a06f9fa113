/**
 * @module The front half of the code grant the openid-client tests share: a PKCE verifier and a state
 * made by the library, the authorization URL it builds from `params` (scope, nonce, prompt, dpop_jkt…),
 * and `agent` walking the provider's pages until it lands on `redirectUri`.
 */
import * as oidc from 'openid-client'
import type { UserAgent } from './interop-fixtures.js'

export async function authorizeWithPKCE(
  config: oidc.Configuration,
  agent: UserAgent,
  redirectUri: string,
  params: Record<string, string>,
): Promise<{ callback: URL; verifier: string; state: string }> {
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  })
  return { callback: await agent.walk(url, redirectUri), verifier, state }
}
