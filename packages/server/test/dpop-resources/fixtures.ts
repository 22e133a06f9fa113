/**
 * @module What the DPoP resource tests share: P-256 keys made with node:crypto, proofs made with
 * @tessera/jose's `createDPoPProof` (the library a client would use), DPoP-bound tokens got the real way
 * (`/auth/login` with a proof), and requests to a protected resource under either scheme.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createDPoPProof } from '@tessera/jose'
import { register, type TestServer, type Tokens } from '../helpers/test-server.js'

export const PASSWORD = 'correct horse battery staple'

/** A fresh P-256 private key (the public half is derived from it). */
export const newKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey

export interface ProofOptions {
  accessToken?: string
  nonce?: string
  /** Seconds since the epoch. */
  iat?: number
}

/** A proof by `key` for `htm` `htu` (synchronous on Node). */
export function proof(key: KeyObject, htm: string, htu: string, options: ProofOptions = {}): string {
  return createDPoPProof({ key, htm, htu, ...options })
}

/** Registers `username`, then logs in with a proof by `key`: the token pair is bound to `key`. */
export async function boundTokens(t: TestServer, username: string, key: KeyObject): Promise<Tokens> {
  await register(t, username, PASSWORD)
  const response = await fetch(`${t.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', dpop: proof(key, 'POST', `${t.url}/auth/login`) },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Tokens
}

export interface Answer {
  status: number
  body: Record<string, unknown>
  headers: Headers
}

export async function read(response: Response): Promise<Answer> {
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers }
}

/**
 * `method` `path` with `Authorization: <scheme> <token>` and, when given, the `DPoP` header; `init`
 * adds headers or a form body.
 */
export async function call(
  t: TestServer,
  method: string,
  path: string,
  credentials: { token: string; scheme?: 'DPoP' | 'Bearer'; dpop?: string },
  init: { form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `${credentials.scheme ?? 'DPoP'} ${credentials.token}`,
    ...(credentials.dpop !== undefined ? { dpop: credentials.dpop } : {}),
    ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...init.headers,
  }
  const response = await fetch(t.url + path, {
    method,
    headers,
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
  })
  return read(response)
}

/** The parameters of a `WWW-Authenticate: DPoP …` challenge (undefined when it is not one). */
export function dpopChallenge(headers: Headers): Record<string, string> | undefined {
  const header = headers.get('www-authenticate') ?? ''
  if (!header.startsWith('DPoP ')) return undefined
  return Object.fromEntries(
    [...header.slice(5).matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const),
  )
}
