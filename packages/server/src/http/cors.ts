/**
 * @module CORS, in two kinds, and nothing for any other origin (browsers then keep the answer from it):
 *
 * - the origins in `--allowed-origins` (a first-party app on another origin of the same site, e.g.
 *   app.example.com calling auth.example.com): credentials allowed, origin echoed (never `*`), `DPoP` allowed
 *   and `DPoP-Nonce` / `WWW-Authenticate` exposed, so such an app can use DPoP at `/auth/*` and `/me`.
 * - the origin of a registered redirect URI of a **public** client (a single-page app on @tessera/client),
 *   on the endpoints such an app calls itself — discovery, the JWKS, `/token`, `/userinfo`,
 *   `/oauth/revoke` — only: no credentials (it authenticates with PKCE, DPoP and Bearer tokens, never a
 *   cookie), `DPoP` and `Authorization` allowed as request headers, `DPoP-Nonce` and `WWW-Authenticate`
 *   exposed (RFC 9449 §8 and §7.1: the SDK must read them to retry with a nonce or refresh).
 *
 * Preflights are answered with 204. Clients are read per request, like everywhere else, so a client added
 * or removed is in force at once; the lookup runs only for a cross-origin request to one of those paths.
 */
import type { FastifyInstance } from 'fastify'

/** What a browser app on a public client's origin may call cross-origin. */
const PUBLIC_CLIENT_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
  '/token',
  '/userinfo',
  '/oauth/revoke',
])

/** True when `origin` is the origin of a redirect URI of a registered public client. */
export type PublicClientOrigin = (origin: string) => Promise<boolean>

/** The PublicClientOrigin of a list of clients (each read from the store by `list`, per call). */
export function publicClientOrigins(
  list: () => Promise<readonly { type: string; redirectUris: readonly string[] }[]>,
): PublicClientOrigin {
  return async (origin) => {
    for (const client of await list()) {
      if (client.type !== 'public') continue
      for (const uri of client.redirectUris) if (originOf(uri) === origin) return true
    }
    return false
  }
}

function originOf(uri: string): string | undefined {
  try {
    const url = new URL(uri)
    // Only web origins: a private-use scheme (com.example.app:/cb) has the opaque origin "null".
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

/** The two kinds of CORS answer: what the response carries, and what a preflight allows. */
interface CorsKind {
  headers: Record<string, string>
  allowHeaders: string
}
const EXPOSED = { 'access-control-expose-headers': 'DPoP-Nonce, WWW-Authenticate' }
const FIRST_PARTY: CorsKind = {
  headers: { 'access-control-allow-credentials': 'true', ...EXPOSED },
  allowHeaders: 'authorization, content-type, dpop',
}
const PUBLIC_CLIENT: CorsKind = {
  headers: EXPOSED,
  allowHeaders: 'authorization, content-type, dpop',
}

export function registerCors(
  app: FastifyInstance,
  allowedOrigins: readonly string[],
  isPublicClientOrigin?: PublicClientOrigin,
): void {
  if (allowedOrigins.length === 0 && !isPublicClientOrigin) return
  const allowed = new Set(allowedOrigins)
  // Callback style, not async: a request without Origin (every server-to-server call, every benchmark
  // request) passes through in the same tick, with no promise made.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin
    if (origin === undefined) return done()
    const answer = (kind: CorsKind | undefined) => {
      if (!kind) return done()
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin').headers(kind.headers)
      if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined)
        return done()
      // A preflight is answered here; the hook chain ends with this reply.
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', kind.allowHeaders)
        .header('access-control-max-age', '600')
        .send()
    }
    if (allowed.has(origin)) return answer(FIRST_PARTY)
    if (!isPublicClientOrigin || !PUBLIC_CLIENT_PATHS.has(request.url.split('?')[0]!)) return done()
    isPublicClientOrigin(origin).then((isPublic) => answer(isPublic ? PUBLIC_CLIENT : undefined), done)
  })
}
