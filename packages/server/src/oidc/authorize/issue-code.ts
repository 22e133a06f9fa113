/**
 * @module Issuing an authorization code: 256 random bits (RFC 6749 §10.10 asks for unguessable; RFC
 * 9700 for ≥ 128), stored only as its SHA-256 so a leaked table redeems nothing, valid 60 s, bound to
 * everything `/token` must check again (client, redirect_uri, PKCE challenge) and everything the ID token
 * will say (nonce, sid, auth_time, amr). The session↔client link is recorded at the same moment, so
 * back-channel logout reaches every client this session signed in to.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Store } from '../../store/types.js'
import type { AuthorizationRequest } from './authorization-request.js'

/** RFC 6749 §4.1.2 recommends at most ten minutes; a browser redirect needs seconds. */
export const CODE_TTL_MS = 60_000

export interface CodeSubject {
  userId: string
  sid: string
  authTime: number
  amr: string[]
}

export const hashCode = (code: string): string => createHash('sha256').update(code).digest('hex')

/** Stores a new code for `request` and returns it (the only time the code itself exists). */
export async function issueCode(
  store: Pick<Store, 'codes' | 'sessionClients'>,
  request: AuthorizationRequest,
  subject: CodeSubject,
  now: number,
): Promise<string> {
  const code = randomBytes(32).toString('base64url')
  await store.codes.create({
    hash: hashCode(code),
    clientId: request.clientId,
    userId: subject.userId,
    sid: subject.sid,
    redirectUri: request.redirectUri,
    scope: request.scope,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    authTime: subject.authTime,
    amr: subject.amr,
    resource: request.resource,
    dpopJkt: request.dpopJkt,
    createdAt: now,
    expiresAt: now + CODE_TTL_MS,
    consumedAt: null,
    familyId: null,
  })
  await store.sessionClients.add(subject.sid, request.clientId, subject.userId, now)
  return code
}
