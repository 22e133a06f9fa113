/**
 * @module The DPoP side of the `me` scenario: GET /me with DPoP beside GET /me with Bearer, on the same
 * server for the same users. Each user logs in with a proof by a key of its own (so its access token is
 * DPoP-bound), and every DPoP request of a timed run carries a proof made for it before the run, with
 * @tessera/jose's `createDPoPProof`, and is sent once (the server refuses a proof it has seen). With
 * server nonces on, the nonce is asked for first (one refused request) and put in every proof. Both sides
 * are run the same way (`eachOnce`: as many requests, each built before the run and sent once), A B B A.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { createDPoPProof } from '@tessera/jose'
import { PASSWORD } from './me-credentials.js'
import { eachOnce, paired, type Run } from './me-runs.js'

export interface DPoPCredential {
  key: KeyObject
  accessToken: string
}

async function loginWithProof(url: string, issuer: string, username: string, key: KeyObject) {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      dpop: createDPoPProof({ key, htm: 'POST', htu: `${issuer}/auth/login` }),
    },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  const body = (await response.json()) as { access_token: string; token_type: string }
  if (!response.ok || body.token_type !== 'DPoP')
    throw new Error(`/auth/login with a proof answered ${response.status} (${body.token_type})`)
  return body.access_token
}

/** Per user: a fresh P-256 key and one access token bound to it (`htu` from the configured `issuer`). */
export async function dpopCredentials(
  url: string,
  issuer: string,
  users: string[],
): Promise<DPoPCredential[]> {
  const out: DPoPCredential[] = []
  for (let at = 0; at < users.length; at += 4) {
    const batch = users.slice(at, at + 4).map(async (username) => {
      const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      return { key, accessToken: await loginWithProof(url, issuer, username, key) }
    })
    out.push(...(await Promise.all(batch)))
  }
  return out
}

/**
 * The nonce the server wants in proofs now, or undefined when it asks for none: one request with a
 * proof without a nonce, answered 200 (no nonce needed) or 401 `use_dpop_nonce` with `DPoP-Nonce`.
 */
export async function serverNonce(
  url: string,
  issuer: string,
  path: string,
  credential: DPoPCredential,
): Promise<string | undefined> {
  const { key, accessToken } = credential
  const response = await fetch(url + path, {
    headers: {
      authorization: `DPoP ${accessToken}`,
      dpop: createDPoPProof({ key, htm: 'GET', htu: issuer + path, accessToken }),
    },
  })
  await response.arrayBuffer()
  if (response.status === 200) return undefined
  const nonce = response.headers.get('dpop-nonce')
  if (response.status !== 401 || !nonce)
    throw new Error(`GET ${path} with a proof answered ${response.status} without a DPoP-Nonce`)
  return nonce
}

/**
 * `count` request headers for `GET path`, cycling through the credentials, each with a proof of its
 * own (new `jti`): every one may be sent once.
 */
export function dpopRequests(
  credentials: DPoPCredential[],
  issuer: string,
  path: string,
  count: number,
  nonce?: string,
): Record<string, string>[] {
  const htu = issuer + path
  const out: Record<string, string>[] = []
  for (let n = 0; n < count; n++) {
    const { key, accessToken } = credentials[n % credentials.length]!
    const dpop = createDPoPProof({ key, htm: 'GET', htu, accessToken, ...(nonce ? { nonce } : {}) })
    out.push({ authorization: `DPoP ${accessToken}`, dpop })
  }
  return out
}

/** `count` of `requests`, in turn (the Bearer side: its tokens are reused, as a client reuses them). */
const cycled = (requests: Record<string, string>[], count: number) =>
  Array.from({ length: count }, (_, n) => requests[n % requests.length]!)

/**
 * GET `path` with Bearer (`bearerRequests`, the users' unbound tokens) and with DPoP (the same users'
 * bound tokens, a fresh proof each), `count` requests a side and round after a warm-up of a third as many
 * on each side; the proofs of a round are made just before it, outside its timing.
 */
export async function dpopBesideBearer(options: {
  url: string
  issuer: string
  path: string
  users: string[]
  bearerRequests: Record<string, string>[]
  count: number
  connections: number
  serverPids: number[]
}): Promise<[bearer: Run, dpop: Run]> {
  const { url, issuer, path, count, connections, serverPids } = options
  const credentials = await dpopCredentials(url, issuer, options.users)
  const nonce = await serverNonce(url, issuer, path, credentials[0]!)
  const bearerRun = (name: string, n: number) =>
    eachOnce(name, url, path, cycled(options.bearerRequests, n), connections, serverPids)
  const dpopRun = (name: string, n: number) =>
    eachOnce(name, url, path, dpopRequests(credentials, issuer, path, n, nonce), connections, serverPids)
  const warm = Math.ceil(count / 3)
  await bearerRun('warm-up', warm)
  await dpopRun('warm-up', warm)
  return paired(
    () => bearerRun(`GET ${path}, Bearer (${count} requests built before the run)`, count),
    () => dpopRun(`GET ${path}, DPoP (${count} requests, a new proof each, made before the run)`, count),
  )
}
