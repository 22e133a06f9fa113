/**
 * @module What the /authorize tests share: a server with a movable clock, clients registered in its
 * store, a cookie jar carried by hand (fetch with `redirect: 'manual'`), PKCE pairs, and the steps of a
 * browser going through the login and consent pages.
 */
import { createHash, randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import { manualClock, type ServerConfig } from '../../src/index.js'
import type { OAuthClientRecord } from '../../src/store/types.js'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'

export const PASSWORD = 'correct horse battery staple'

export interface Harness {
  t: TestServer
  /** Moves the server's clock forward. */
  advance(ms: number): void
  now(): number
  addClient(id: string, changes?: Partial<OAuthClientRecord>): Promise<OAuthClientRecord>
}

/** A public client of `id` registered at `now`, with `changes` over the defaults. */
export function clientRecord(
  id: string,
  now: number,
  changes: Partial<OAuthClientRecord> = {},
): OAuthClientRecord {
  return {
    id,
    name: `App ${id}`,
    type: 'public',
    secretHash: null,
    redirectUris: [`https://${id}.example/callback`],
    postLogoutRedirectUris: [],
    backchannelLogoutUri: null,
    firstParty: false,
    scope: 'openid profile email offline_access',
    grantTypes: ['authorization_code', 'refresh_token'],
    tokenEndpointAuthMethod: 'none',
    idTokenSignedResponseAlg: 'RS256',
    jwksUri: null,
    jwks: null,
    createdAt: now,
    updatedAt: now,
    ...changes,
  }
}

/** A server with `config` whose `addClient` starts every client from `clientDefaults`. */
export async function startHarness(
  config: Partial<ServerConfig> = {},
  clientDefaults: (id: string) => Partial<OAuthClientRecord> = () => ({}),
): Promise<Harness> {
  const clock = manualClock(Date.now())
  const t = await startTestServer(config, { clock })
  return {
    t,
    advance: (ms) => clock.advance(ms),
    now: clock,
    async addClient(id, changes = {}) {
      const client = clientRecord(id, clock(), { ...clientDefaults(id), ...changes })
      await t.server.services.store.clients.create(client)
      return client
    },
  }
}

/**
 * A harness started before this file's tests and cleaned up after them, for files that need nothing
 * else set up first. Use it inside tests only: a file's other before() hooks may run before it is up,
 * and reaching it then throws rather than touching a server that is not there.
 */
export function useHarness(...args: Parameters<typeof startHarness>): Harness {
  let started: Harness | undefined
  const get = (): Harness => {
    if (!started)
      throw new Error(
        'the harness is started in before(); use it inside a test (another before() hook may run first)',
      )
    return started
  }
  before(async () => {
    started = await startHarness(...args)
  })
  after(async () => {
    await started?.t.cleanup()
  })
  return {
    get t() {
      return get().t
    },
    advance: (ms) => get().advance(ms),
    now: () => get().now(),
    addClient: (id, changes) => get().addClient(id, changes),
  }
}

export async function addUser(h: Harness, username: string): Promise<string> {
  await register(h.t, username, PASSWORD)
  const user = await h.t.server.services.store.users.findByUsername(username)
  return user!.id
}

/** The cookies of one browser, by name. */
export class Jar {
  readonly cookies = new Map<string, string>()

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line)
      if (value === '' || expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  header(): Record<string, string> {
    if (this.cookies.size === 0) return {}
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** The parameters of a good request for `client`, with `overrides` (undefined removes one). */
export function authorizeParams(
  client: Pick<OAuthClientRecord, 'id' | 'redirectUris'>,
  overrides: Record<string, string | undefined> = {},
): URLSearchParams {
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUris[0],
    scope: 'openid profile',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...overrides,
  }
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(base)) if (value !== undefined) params.append(name, value)
  return params
}

/** A browser request: cookies from and into `jar`, no redirect following. */
export async function browse(
  h: Harness,
  jar: Jar,
  path: string,
  init: { form?: URLSearchParams; headers?: Record<string, string> } = {},
): Promise<Response> {
  const response = await fetch(h.t.url + path, {
    method: init.form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...jar.header(),
      ...(init.form
        ? {
            'content-type': 'application/x-www-form-urlencoded',
            origin: h.t.url,
            'sec-fetch-site': 'same-origin',
          }
        : {}),
      ...init.headers,
    },
    ...(init.form ? { body: init.form } : {}),
  })
  jar.take(response)
  return response
}

export const authorize = (
  h: Harness,
  jar: Jar,
  params: URLSearchParams,
  headers: Record<string, string> = {},
) => browse(h, jar, `/authorize?${params}`, { headers })

/** The hidden fields of the page's form. */
export function formFields(html: string): { interaction: string; csrf: string } {
  const interaction = /name="interaction" value="([^"]+)"/.exec(html)?.[1]
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1]
  if (!interaction || !csrf) throw new Error(`no sign-in form on this page:\n${html.slice(0, 400)}`)
  return { interaction, csrf }
}

export async function submitLogin(
  h: Harness,
  jar: Jar,
  page: string,
  username: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { interaction, csrf } = formFields(page)
  return browse(h, jar, '/authorize/login', {
    form: new URLSearchParams({ interaction, csrf_token: csrf, username, password }),
    headers,
  })
}

export async function submitConsent(
  h: Harness,
  jar: Jar,
  page: string,
  decision: 'allow' | 'deny',
  headers: Record<string, string> = {},
): Promise<Response> {
  const { interaction, csrf } = formFields(page)
  return browse(h, jar, '/authorize/consent', {
    form: new URLSearchParams({ interaction, csrf_token: csrf, consent: decision }),
    headers,
  })
}

/** The query of a redirect's Location, checked to go to `redirectUri`. */
export function redirectedTo(response: Response, redirectUri: string): URLSearchParams {
  const location = response.headers.get('location')
  if (response.status < 300 || response.status > 399 || !location)
    throw new Error(`expected a redirect, got ${response.status}`)
  const url = new URL(location)
  if (`${url.origin}${url.pathname}` !== redirectUri) throw new Error(`redirected to ${location}`)
  return url.searchParams
}
