/**
 * @module OpenID Connect Discovery 1.0 for the SDK: the provider's endpoints, read once per client, and
 * only from a document whose `issuer` is exactly the configured one (§4.3: a mismatch means another
 * provider's document, the mix-up attack).
 */
import { ClientDiscoveryFailed, TesseraClientError } from './errors.js'
import { readJsonObject, send } from './http.js'

export interface ProviderEndpoints {
  issuer: string
  authorizationEndpoint: string
  tokenEndpoint: string
  jwksUri: string
  userinfoEndpoint: string | undefined
  endSessionEndpoint: string | undefined
  revocationEndpoint: string | undefined
  /** RFC 9207: the provider puts `iss` in every authorization response, so a missing one is refused. */
  issInAuthorizationResponse: boolean
  /** The JWS algorithms the provider accepts in DPoP proofs (RFC 9449 §5.1), when it says. */
  dpopAlgs: string[] | undefined
}

function endpoint(doc: Record<string, unknown>, name: string, required: true): string
function endpoint(doc: Record<string, unknown>, name: string, required: false): string | undefined
function endpoint(doc: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = doc[name]
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string') throw new ClientDiscoveryFailed(`the discovery document has no ${name}`)
  try {
    new URL(value)
  } catch {
    throw new ClientDiscoveryFailed(`the discovery document's ${name} is not an absolute URL`)
  }
  return value
}

export async function discover(issuer: string): Promise<ProviderEndpoints> {
  const what = 'discovery'
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
  let doc: Record<string, unknown>
  try {
    const response = await send(what, url, { headers: { accept: 'application/json' } })
    if (!response.ok) throw new ClientDiscoveryFailed(`${url} answered ${response.status}`)
    doc = await readJsonObject(what, response)
  } catch (error) {
    if (error instanceof ClientDiscoveryFailed) throw error
    const message = error instanceof TesseraClientError ? error.message : 'the document could not be read'
    throw new ClientDiscoveryFailed(`${message} (is the issuer right, and does it allow this origin?)`, {
      cause: error,
    })
  }
  if (doc.issuer !== issuer)
    throw new ClientDiscoveryFailed(
      'the discovery document names another issuer: set issuer to exactly the provider\'s "issuer" value',
    )
  const algs = doc.dpop_signing_alg_values_supported
  return {
    issuer,
    authorizationEndpoint: endpoint(doc, 'authorization_endpoint', true),
    tokenEndpoint: endpoint(doc, 'token_endpoint', true),
    jwksUri: endpoint(doc, 'jwks_uri', true),
    userinfoEndpoint: endpoint(doc, 'userinfo_endpoint', false),
    endSessionEndpoint: endpoint(doc, 'end_session_endpoint', false),
    revocationEndpoint: endpoint(doc, 'revocation_endpoint', false),
    issInAuthorizationResponse: doc.authorization_response_iss_parameter_supported === true,
    dpopAlgs: Array.isArray(algs) ? algs.filter((a): a is string => typeof a === 'string') : undefined,
  }
}
