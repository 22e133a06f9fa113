/**
 * @module Reads the one client credential a request presents (RFC 6749 §2.3, RFC 7523 §2.2): HTTP Basic,
 * `client_secret` in the form, a `client_assertion`, or a bare `client_id` (public clients). Two methods in
 * one request are refused (§2.3: a client MUST NOT use more than one).
 */
import { ClientAuthFailed, RequestInvalid } from '../../errors.js'

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export type PresentedCredential =
  | { method: 'client_secret_basic'; clientId: string; secret: string }
  | { method: 'client_secret_post'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string | undefined; assertion: string }
  | { method: 'none'; clientId: string }

/** The form fields client authentication reads. */
export interface CredentialFields {
  client_id?: unknown
  client_secret?: unknown
  client_assertion?: unknown
  client_assertion_type?: unknown
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are Basic-encoded. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    throw new ClientAuthFailed('the Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)')
  }
}

function parseBasic(header: string): { clientId: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header)
  if (!match) {
    if (/^Basic\b/i.test(header)) throw new ClientAuthFailed('the Basic credentials are malformed')
    return undefined
  }
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0)
    throw new ClientAuthFailed('the Basic credentials are malformed: no ":" between id and secret')
  const clientId = formDecode(decoded.slice(0, colon))
  if (clientId === '') throw new ClientAuthFailed('the Basic credentials name no client_id')
  return { clientId, secret: formDecode(decoded.slice(colon + 1)) }
}

/** The credential presented, or ClientAuthFailed (none at all) / RequestInvalid (more than one). */
export function presentedCredential(
  authorization: string | undefined,
  fields: CredentialFields,
): PresentedCredential {
  const basic = authorization === undefined ? undefined : parseBasic(authorization)
  const clientId = text(fields.client_id)
  const secret = text(fields.client_secret)
  const assertion = text(fields.client_assertion)
  const methods = [basic, secret, assertion].filter((m) => m !== undefined).length
  if (methods > 1)
    throw new RequestInvalid(
      'use exactly one client authentication method (Basic, client_secret or client_assertion), not several',
    )
  if (basic) {
    if (clientId !== undefined && clientId !== basic.clientId)
      throw new RequestInvalid('client_id differs from the client named in the Basic credentials')
    return { method: 'client_secret_basic', ...basic }
  }
  if (secret !== undefined) {
    if (clientId === undefined) throw new RequestInvalid('client_secret needs client_id beside it')
    return { method: 'client_secret_post', clientId, secret }
  }
  if (assertion !== undefined) {
    if (text(fields.client_assertion_type) !== JWT_BEARER_ASSERTION)
      throw new ClientAuthFailed(`client_assertion_type must be ${JWT_BEARER_ASSERTION}`)
    return { method: 'private_key_jwt', clientId, assertion }
  }
  if (clientId !== undefined) return { method: 'none', clientId }
  throw new ClientAuthFailed(
    'client authentication failed: send client_id (public clients), HTTP Basic, client_secret or client_assertion',
  )
}
