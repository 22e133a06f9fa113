/**
 * @module The pending authorization request while the user is on the login or consent page. It lives in
 * the page's form as a sealed blob (AES-256-GCM under a key derived from TESSERA_SECRET), so any instance
 * can continue it and nobody can read or alter it: the client, redirect_uri, PKCE challenge and scope
 * checked by `/authorize` are exactly what the code is issued for. The blob carries
 * - a CSRF token, sent back as `csrf_token`, and
 * - the hash of a browser-binding cookie set when the page was shown, so a blob an attacker obtained
 *   for themselves is useless in a forged post from the victim's browser (login CSRF, OWASP "Signed
 *   Double-Submit Cookie");
 * and it expires after ten minutes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { AuthorizationRequest } from './authorization-request.js'
import { AuthorizeError } from './authorize-error.js'

export interface Interaction {
  v: 1
  stage: 'login' | 'consent'
  request: AuthorizationRequest
  /** The CSRF token the form must send back. */
  csrf: string
  /** SHA-256 (base64url) of the browser-binding cookie. */
  browser: string
  /** Consent stage: the provider session and user the page was shown to. */
  sid?: string
  userId?: string
  /** The `sub` of the request's verified id_token_hint (the hint itself is not sealed). */
  hintSub?: string
  expiresAt: number
}

/** How long a login or consent page stays usable. */
export const INTERACTION_TTL_MS = 10 * 60 * 1000
const AAD = Buffer.from('tessera authorize interaction v1')
const BROWSER_COOKIE = /^[A-Za-z0-9_-]{43}$/
const BLOB = /^[A-Za-z0-9_-]{40,24000}$/

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url')

export const newBrowserBinding = (): string => randomBytes(32).toString('base64url')
export const isBrowserBinding = (value: string | undefined): value is string =>
  value !== undefined && BROWSER_COOKIE.test(value)

export class InteractionSealer {
  readonly #key: Buffer

  constructor(key: Buffer) {
    if (key.length !== 32) throw new TypeError('the interaction key must be 32 bytes')
    this.#key = key
  }

  /** A fresh interaction for `request`, bound to the browser cookie `binding`. */
  create(
    request: AuthorizationRequest,
    binding: string,
    now: number,
    stage: Interaction['stage'],
    extra: Pick<Interaction, 'sid' | 'userId' | 'hintSub'> = {},
  ): Interaction {
    return {
      v: 1,
      stage,
      request,
      csrf: randomBytes(32).toString('base64url'),
      browser: sha256(binding),
      ...extra,
      expiresAt: now + INTERACTION_TTL_MS,
    }
  }

  seal(interaction: Interaction): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    cipher.setAAD(AAD)
    const body = Buffer.concat([cipher.update(JSON.stringify(interaction), 'utf8'), cipher.final()])
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
  }

  /**
   * Opens a posted interaction and checks everything that ties it to this browser and this form: an
   * authentic blob of the expected stage, not expired, the binding cookie it was made for, and its CSRF
   * token. Any failure is one page error (a forged or stale form is never redirected anywhere).
   */
  open(
    sealed: string | undefined,
    presented: { csrf: string | undefined; binding: string | undefined },
    stage: Interaction['stage'],
    now: number,
  ): Interaction {
    const refused = (why: string) =>
      new AuthorizeError('ERR_AUTHORIZE_INTERACTION', `${why}: go back to the application and sign in again`)
    if (sealed === undefined || !BLOB.test(sealed)) throw refused('the sign-in form is incomplete')
    const interaction = this.#unseal(sealed)
    if (interaction?.v !== 1 || interaction.stage !== stage) throw refused('the sign-in form was altered')
    if (now >= interaction.expiresAt) throw refused('the sign-in page expired')
    if (!isBrowserBinding(presented.binding) || !same(sha256(presented.binding), interaction.browser))
      throw refused('this sign-in form was not opened in this browser (cookies must be enabled)')
    if (presented.csrf === undefined || !same(presented.csrf, interaction.csrf))
      throw refused('the form token is wrong')
    return interaction
  }

  #unseal(sealed: string): Interaction | undefined {
    const bytes = Buffer.from(sealed, 'base64url')
    if (bytes.length < 12 + 16 + 2) return undefined
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, 12))
      decipher.setAAD(AAD)
      decipher.setAuthTag(bytes.subarray(bytes.length - 16))
      const text = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()])
      return JSON.parse(text.toString('utf8')) as Interaction
    } catch {
      return undefined
    }
  }
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}
