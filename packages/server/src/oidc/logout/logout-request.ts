/**
 * @module RP-initiated logout requests (OpenID Connect RP-Initiated Logout 1.0 §2–§3): the `id_token_hint`
 * must be an ID token of ours (signature, `iss`; expired is fine, that is what a hint is), `client_id` must
 * agree with its `aud`, and `post_logout_redirect_uri` must be one the client registered, compared as the
 * exact string. Anything wrong is a `LogoutRefused` shown on our own page, never a redirect.
 */
import { compactVerify, type JoseKey, type JWSHeaderParameters } from '@tessera/jose'
import type { OAuthClientRecord } from '../../store/types.js'

export class LogoutRefused extends Error {
  override readonly name = 'LogoutRefused'
}

export interface LogoutParams {
  id_token_hint?: string
  client_id?: string
  post_logout_redirect_uri?: string
  state?: string
  ui_locales?: string
}

export interface HintClaims {
  sub: string
  sid: string | undefined
  aud: string[]
}

export interface ValidLogout {
  client: OAuthClientRecord | undefined
  hint: HintClaims | undefined
  /** Where to send the browser afterwards (with `state`), when the client asked for it. */
  redirectTo: string | undefined
}

export interface LogoutDeps {
  issuer: string
  publicKey(kid: unknown): JoseKey
  findClient(id: string): Promise<OAuthClientRecord | undefined>
}

const ID_TOKEN_ALGS = ['RS256', 'ES256', 'EdDSA']

async function readHint(hint: string, deps: LogoutDeps): Promise<HintClaims> {
  let payload: Record<string, unknown>
  try {
    const verified = await compactVerify(hint, (header: JWSHeaderParameters) => deps.publicKey(header.kid), {
      algorithms: ID_TOKEN_ALGS,
      maxTokenLength: 8192,
    })
    if (verified.protectedHeader.typ !== undefined && verified.protectedHeader.typ !== 'JWT')
      throw new Error('not an ID token')
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>
  } catch {
    throw new LogoutRefused('id_token_hint is not an ID token issued by this server')
  }
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (
    payload.iss !== deps.issuer ||
    typeof payload.sub !== 'string' ||
    !aud.every((a) => typeof a === 'string')
  )
    throw new LogoutRefused('id_token_hint is not an ID token issued by this server')
  return {
    sub: payload.sub,
    sid: typeof payload.sid === 'string' ? payload.sid : undefined,
    aud: aud as string[],
  }
}

export async function validateLogout(params: LogoutParams, deps: LogoutDeps): Promise<ValidLogout> {
  const hint = params.id_token_hint ? await readHint(params.id_token_hint, deps) : undefined
  if (hint && params.client_id !== undefined && !hint.aud.includes(params.client_id))
    throw new LogoutRefused('client_id is not the client the id_token_hint was issued to')
  const clientId = params.client_id ?? (hint?.aud.length === 1 ? hint.aud[0] : undefined)
  const client = clientId === undefined ? undefined : await deps.findClient(clientId)
  if (clientId !== undefined && !client) throw new LogoutRefused('client_id names no registered client')
  let redirectTo: string | undefined
  if (params.post_logout_redirect_uri !== undefined) {
    if (!client)
      throw new LogoutRefused('post_logout_redirect_uri needs client_id or id_token_hint to say whose it is')
    if (!client.postLogoutRedirectUris.includes(params.post_logout_redirect_uri))
      throw new LogoutRefused('post_logout_redirect_uri is not registered for this client')
    const target = new URL(params.post_logout_redirect_uri)
    if (params.state !== undefined) target.searchParams.append('state', params.state)
    redirectTo = target.toString()
  }
  return { client, hint, redirectTo }
}
