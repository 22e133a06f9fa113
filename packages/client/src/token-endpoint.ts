/**
 * @module The SDK's calls to `/token` and `/oauth/revoke` (RFC 6749 §4.1.3 and §6, as a public client: `client_id` in the
 * form, no secret) with a DPoP proof when the session has a key; an answer asking for a DPoP nonce is
 * retried once with it (RFC 9449 §8). The token response is checked before anything uses it.
 */
import { asksForNonce, type DPoPSigner, noteNonce } from './dpop.js'
import { ClientNetworkError, ClientTokenRequestFailed } from './errors.js'
import { readJsonObject, refusal, send } from './http.js'

export interface TokenResponse {
  accessToken: string
  tokenType: 'Bearer' | 'DPoP'
  /** Seconds the access token lives, as the provider said. */
  expiresIn: number
  refreshToken: string | undefined
  idToken: string | undefined
  scope: string | undefined
}

export interface TokenEndpoint {
  url: string
  clientId: string
  nonces: Map<string, string>
}

function parseTokenResponse(body: Record<string, unknown>, dpop: boolean): TokenResponse {
  const what = 'the token response'
  if (typeof body.access_token !== 'string' || body.access_token === '')
    throw new ClientNetworkError(`${what} has no access_token`)
  const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : ''
  if (type !== 'bearer' && type !== 'dpop') throw new ClientNetworkError(`${what} has no known token_type`)
  // A DPoP request answered with a Bearer token would be a downgrade the SDK did not ask for (RFC 9449 §5).
  if (dpop && type !== 'dpop')
    throw new ClientTokenRequestFailed(
      'the provider answered a DPoP token request with a Bearer token: enable DPoP for this client, or createClient({ dpop: false })',
      200,
    )
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300
  return {
    accessToken: body.access_token,
    tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
    expiresIn,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  }
}

/**
 * POSTs a form as the public client (`client_id` added) to an OAuth endpoint of the provider; with a
 * signer, adds its proof and retries once when the answer asks for a nonce. Answers only a 2xx response.
 */
export async function postAsClient(
  what: string,
  endpoint: TokenEndpoint,
  fields: Record<string, string>,
  signer: DPoPSigner | undefined,
): Promise<Response> {
  const form = new URLSearchParams({ ...fields, client_id: endpoint.clientId })
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    }
    if (signer) headers.dpop = await signer.proof({ method: 'POST', url: endpoint.url })
    const response = await send(what, endpoint.url, { method: 'POST', headers, body: form })
    if (signer) noteNonce(endpoint.nonces, endpoint.url, response)
    if (response.ok) return response
    try {
      await refusal(what, response)
    } catch (error) {
      const retry =
        signer !== undefined &&
        attempt === 0 &&
        error instanceof ClientTokenRequestFailed &&
        asksForNonce(response, error.oauthError)
      if (!retry) throw error
    }
  }
}

/** A grant at `/token`, its answer checked (a DPoP request must get a DPoP token). */
export async function requestTokens(
  endpoint: TokenEndpoint,
  grant: Record<string, string>,
  signer: DPoPSigner | undefined,
): Promise<TokenResponse> {
  const what = `the ${grant.grant_type} grant`
  const response = await postAsClient(what, endpoint, grant, signer)
  return parseTokenResponse(await readJsonObject(what, response), signer !== undefined)
}
