/**
 * @module What the /token, /userinfo and logout tests share: authorization codes written straight into
 * the store with a known PKCE pair (so these tests do not depend on the login pages), a provider session
 * from /session/login, confidential clients registered through the client registry (which hands back
 * the secret once), and form posts to /token.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ClientRegistration } from '../../src/oidc/clients/registration.js'
import type { OAuthClientRecord } from '../../src/store/types.js'
import { addUser, type Harness, PASSWORD, pkce } from './authorize-fixtures.js'

export interface IssuedCode {
  code: string
  verifier: string
  redirectUri: string
}

export interface ProviderSession {
  cookie: string
  sid: string
  userId: string
  csrf: string
}

/** Signs `username` in through /session/login (a provider session) and reads its sid back. */
export async function providerSession(h: Harness, username: string): Promise<ProviderSession> {
  const userId = await addUser(h, username)
  const response = await h.t.post('/session/login', { username, password: PASSWORD })
  if (response.status !== 200) throw new Error(`session login answered ${response.status}`)
  const setCookie = response.headers.getSetCookie().find((line) => line.includes('='))!
  const cookie = setCookie.split(';')[0]!
  const id = cookie.slice(cookie.indexOf('=') + 1)
  const { record } = await h.t.server.services.sessions.resolve(id)
  return { cookie, sid: record.sid, userId, csrf: record.csrfToken ?? '' }
}

/** A code for `client` as /authorize would issue it (and the session-client link it records). */
export async function issueCode(
  h: Harness,
  client: Pick<OAuthClientRecord, 'id' | 'redirectUris'>,
  subject: { userId: string; sid: string },
  options: { scope?: string; nonce?: string | null; resource?: string | null; dpopJkt?: string | null } = {},
): Promise<IssuedCode> {
  const { store } = h.t.server.services
  const code = randomBytes(32).toString('base64url')
  const { verifier, challenge } = pkce()
  const now = h.now()
  const redirectUri = client.redirectUris[0]!
  await store.codes.create({
    hash: createHash('sha256').update(code).digest('hex'),
    clientId: client.id,
    userId: subject.userId,
    sid: subject.sid,
    redirectUri,
    scope: options.scope ?? 'openid profile email',
    nonce: options.nonce === undefined ? 'n-0S6_WzA2Mj' : options.nonce,
    codeChallenge: challenge,
    authTime: now - 5_000,
    amr: ['pwd'],
    resource: options.resource ?? null,
    dpopJkt: options.dpopJkt ?? null,
    createdAt: now,
    expiresAt: now + 60_000,
    consumedAt: null,
    familyId: null,
  })
  await store.sessionClients.add(subject.sid, client.id, subject.userId, now)
  return { code, verifier, redirectUri }
}

/** A confidential client registered through the registry; its secret is known only here. */
export async function addConfidential(
  h: Harness,
  id: string,
  changes: Partial<ClientRegistration> = {},
): Promise<{ client: OAuthClientRecord; secret: string }> {
  const { client, secret } = await h.t.server.services.clients.register({
    id,
    name: `Server app ${id}`,
    type: 'confidential',
    redirectUris: [`https://${id}.example/callback`],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    scope: 'openid profile email offline_access api',
    tokenEndpointAuthMethod: 'client_secret_basic',
    ...changes,
  })
  return { client, secret: secret! }
}

export const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
})

export async function token(
  h: Harness,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await h.t.form('/token', form, headers)
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers }
}

/** Redeems `issued` for the public client `clientId`. */
export const redeem = (
  h: Harness,
  clientId: string,
  issued: IssuedCode,
  extra: Record<string, string> = {},
) =>
  token(h, {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: issued.redirectUri,
    code_verifier: issued.verifier,
    client_id: clientId,
    ...extra,
  })

export async function userinfo(h: Harness, accessToken: string, method: 'GET' | 'POST' = 'GET') {
  const response = await fetch(`${h.t.url}/userinfo`, {
    method,
    headers: { authorization: `Bearer ${accessToken}` },
  })
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  }
}
