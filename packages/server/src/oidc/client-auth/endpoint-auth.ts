/**
 * @module Client authentication at `/oauth/revoke` and `/oauth/introspect`, beside what those endpoints
 * accepted before: a request that presents a registered client's credential (Basic for an id that is not
 * a configured introspection client, `client_secret`, `client_assertion`, or the `client_id` of a
 * registered client) is authenticated as that client, with its registered method; anything else keeps
 * the old path (first-party public clients at revocation, `--introspection-client` at introspection).
 */
import type { OAuthClientRecord } from '../../store/types.js'
import type { ClientAuthenticator, ClientLookup } from './authenticate.js'
import type { CredentialFields } from './credentials.js'

function basicId(authorization: string | undefined): string | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}

export interface EndpointAuthInput {
  authorization: string | undefined
  fields: CredentialFields
  ip: string | undefined
  endpoint: string
  /** Basic ids that belong to the old path (configured introspection clients). */
  configuredIds: readonly string[]
}

/** The registered client the request authenticates as, or undefined when it takes the old path. */
export async function registeredClientOf(
  auth: ClientAuthenticator,
  clients: ClientLookup,
  input: EndpointAuthInput,
): Promise<OAuthClientRecord | undefined> {
  const id = basicId(input.authorization)
  const viaBasic = id !== undefined && !input.configuredIds.includes(id)
  const viaBody = input.fields.client_secret !== undefined || input.fields.client_assertion !== undefined
  const byId =
    !viaBasic &&
    !viaBody &&
    id === undefined &&
    typeof input.fields.client_id === 'string' &&
    (await clients.find(input.fields.client_id)) !== undefined
  if (!viaBasic && !viaBody && !byId) return undefined
  // The old path's Basic header is not part of a registered client's request.
  const authorization = viaBasic ? input.authorization : undefined
  return auth.authenticate({ authorization, fields: input.fields, ip: input.ip, endpoint: input.endpoint })
}
