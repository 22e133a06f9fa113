/**
 * @module The credentials the `me` scenario sends: many users, each with several access tokens (a
 * login, then refreshes: every rotation hands back a new access token, and the earlier ones stay valid)
 * and several session cookies; a pool of never-used access tokens for the cold path, all obtained from
 * the server the real way (refresh), none minted with a key of the test's own.
 */
export const PASSWORD = 'correct horse battery staple'

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response
}

interface Pair {
  access_token: string
  refresh_token: string
}

/** `n` at a time over `items`, in order. */
async function inBatches<T, R>(items: T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let at = 0; at < items.length; at += n)
    out.push(...(await Promise.all(items.slice(at, at + n).map(work))))
  return out
}

export const userNames = (count: number) => Array.from({ length: count }, (_, n) => `load-me-${n}`)

export async function registerUsers(url: string, users: string[]): Promise<void> {
  await inBatches(users, 4, (username) => post(url, '/auth/register', { username, password: PASSWORD }))
}

export async function login(url: string, username: string): Promise<Pair> {
  return (await (await post(url, '/auth/login', { username, password: PASSWORD })).json()) as Pair
}

export async function refresh(url: string, refreshToken: string): Promise<Pair> {
  return (await (await post(url, '/auth/refresh', { refresh_token: refreshToken })).json()) as Pair
}

/** Per user: `perUser` access tokens (a login, then refreshes). */
export async function accessTokens(url: string, users: string[], perUser: number): Promise<string[][]> {
  return inBatches(users, 4, async (username) => {
    let pair = await login(url, username)
    const tokens = [pair.access_token]
    while (tokens.length < perUser) {
      pair = await refresh(url, pair.refresh_token)
      tokens.push(pair.access_token)
    }
    return tokens
  })
}

/** Per user: `perUser` session cookies (`name=value`), logged in the way the web app does. */
export async function sessionCookies(url: string, users: string[], perUser: number): Promise<string[][]> {
  const sameOrigin = { origin: new URL(url).origin, 'sec-fetch-site': 'same-origin' }
  return inBatches(users, 4, async (username) => {
    const cookies: string[] = []
    while (cookies.length < perUser) {
      const response = await post(url, '/session/login', { username, password: PASSWORD }, sameOrigin)
      cookies.push((response.headers.getSetCookie()[0] ?? '').split(';')[0]!)
    }
    return cookies
  })
}

/**
 * `count` access tokens never presented to /me: `chains` refresh chains (one login each) rotated side by
 * side, each rotation's access token kept.
 */
export async function freshTokens(
  url: string,
  users: string[],
  count: number,
  chains = 8,
): Promise<string[]> {
  const pool: string[] = []
  let refreshTokens = (await inBatches(users.slice(0, chains), 4, (u) => login(url, u))).map(
    (p) => p.refresh_token,
  )
  while (pool.length < count) {
    const pairs = await Promise.all(refreshTokens.map((token) => refresh(url, token)))
    for (const pair of pairs) pool.push(pair.access_token)
    refreshTokens = pairs.map((p) => p.refresh_token)
  }
  return pool.slice(0, count)
}
