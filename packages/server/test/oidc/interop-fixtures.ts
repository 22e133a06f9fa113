/**
 * @module What the relying-party interoperability tests share: a user with a profile, clients written
 * straight into the store (a confidential one with a secret hashed the way the server checks it), and a
 * user agent that walks the provider's pages as a browser would (cookies, redirects, the login and consent
 * forms) until the provider redirects back to the client.
 */
import { randomBytes } from 'node:crypto'
import { deriveSecrets } from '../../src/keys/secret.js'
import { generateClientSecret, hashClientSecret } from '../../src/oidc/clients/client-secret.js'
import type { OAuthClientRecord } from '../../src/store/types.js'
import { register, type TestServer } from '../helpers/test-server.js'
import { clientRecord } from './authorize-fixtures.js'

export const PASSWORD = 'correct horse battery staple'

/** Registers `username` with a name and a verified email; returns its id. */
export async function addProfileUser(t: TestServer, username: string): Promise<string> {
  await register(t, username, PASSWORD)
  const user = await t.server.services.store.users.findByUsername(username)
  const now = Date.now()
  await t.server.services.store.users.setProfile(
    user!.id,
    { name: `Ada ${username}`, email: `${username}@example.com`, emailVerified: true },
    now,
  )
  return user!.id
}

/**
 * A secret hashed the way the server checks it: under the key it derives from its own secret (the
 * server's derivation, so a change there cannot make these tests lie).
 */
function secretHash(t: TestServer, secret: string): string {
  const key = (deriveSecrets(t.config.secret!) as { clientSecretKey?: Buffer }).clientSecretKey
  if (!key) throw new Error('deriveSecrets gives no clientSecretKey: the server cannot check client secrets')
  return hashClientSecret(key, secret)
}

export async function addClient(
  t: TestServer,
  changes: Partial<OAuthClientRecord> & { redirectUris: string[] },
  /** The confidential client's secret (default: a fresh one). */
  givenSecret?: string,
): Promise<{ client: OAuthClientRecord; secret: string | undefined }> {
  const now = Date.now()
  const id = changes.id ?? `rp-${randomBytes(4).toString('hex')}`
  const confidential = (changes.type ?? 'confidential') === 'confidential'
  const secret = confidential ? (givenSecret ?? generateClientSecret()) : undefined
  const client = clientRecord(id, now, {
    name: `Test app ${id}`,
    type: confidential ? 'confidential' : 'public',
    secretHash: secret ? secretHash(t, secret) : null,
    tokenEndpointAuthMethod: confidential ? 'client_secret_basic' : 'none',
    ...changes,
  })
  await t.server.services.store.clients.create(client)
  return { client, secret }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const decodeEntities = (s: string) =>
  s.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (all, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(
          e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        )
      : (ENTITIES[e] ?? all),
  )

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g))
    out[m[1]!.toLowerCase()] = decodeEntities(m[3] ?? m[4] ?? '')
  return out
}

export interface PageForm {
  action: string
  fields: URLSearchParams
  inputs: string[]
}

/** The first POST form on a page: its action and hidden fields, and the names of its other inputs. */
export function parseForm(html: string): PageForm | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  const action = attributes(form[1]!).action ?? ''
  const fields = new URLSearchParams()
  const inputs: string[] = []
  for (const m of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(m[0])
    if (!a.name) continue
    if (a.type === 'hidden') fields.append(a.name, a.value ?? '')
    else inputs.push(a.name)
  }
  return { action, fields, inputs }
}

/** One browser talking to the provider: its cookies, no redirect followed unless asked. */
export class UserAgent {
  readonly cookies = new Map<string, string>()
  /** What the walk saw, for failure messages. */
  readonly trail: string[] = []

  constructor(
    readonly username: string,
    readonly password = PASSWORD,
  ) {}

  async request(url: string, form?: URLSearchParams): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin } : {}),
      },
      ...(form ? { body: form } : {}),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0\b|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    this.trail.push(`${form ? 'POST' : 'GET'} ${new URL(url).pathname} → ${response.status}`)
    return response
  }

  /**
   * Follows the provider from `start` — redirects, the login form (typing the password, counted in
   * `passwordsTyped`), the consent form (allow), a logout confirmation — until it redirects to a URL
   * starting with `until`, which it returns without fetching.
   */
  async walk(start: string | URL, until: string): Promise<URL> {
    let response = await this.request(String(start))
    let url = String(start)
    for (let step = 0; step < 12; step++) {
      if (response.status >= 300 && response.status < 400) {
        const location = new URL(response.headers.get('location') ?? '', url)
        if (location.href.startsWith(until)) return location
        url = location.href
        response = await this.request(url)
        continue
      }
      const html = await response.text()
      const form = parseForm(html)
      if (response.status !== 200 || !form) {
        throw new Error(
          `the provider answered ${response.status} with no form to go on: ${this.trail.join(', ')}\n${html.slice(0, 600)}`,
        )
      }
      const fields = new URLSearchParams(form.fields)
      if (form.inputs.includes('password')) {
        fields.set('username', this.username)
        fields.set('password', this.password)
        this.passwordsTyped++
      } else if (/name="consent"/.test(html)) {
        fields.set('consent', 'allow')
      } else if (/name="logout"/.test(html)) {
        fields.set('logout', 'yes')
        this.logoutConfirmations++
      }
      url = new URL(form.action, url).href
      response = await this.request(url, fields)
    }
    throw new Error(`no redirect to ${until} after 12 steps: ${this.trail.join(', ')}`)
  }

  passwordsTyped = 0
  logoutConfirmations = 0
}
