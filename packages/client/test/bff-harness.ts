/**
 * @module What the BFF tests share: a real Tessera server with a confidential client for the app, a
 * resource server that verifies the access tokens the BFF forwards (the server's own verifier), and the
 * app itself on node:http — its page, and the BFF in front of it — at http://localhost:<port>.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Listening, listen as listenOn } from '../../demo/src/http.js'
import { createRequestVerifier, toHttpError } from '../../server/src/index.js'
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addClient, addProfileUser } from '../../server/test/oidc/interop-fixtures.js'
import { type Bff, type BffOptions, bffNodeHandler, createBff } from '../src/bff/index.js'
import { type BffSession, MemorySessionStore } from '../src/bff/session-store.js'

export const BFF_SECRET = 'bff-test-secret-0123456789-abcdefghijklmnopqrstuv'

/** A real memory store that also remembers every session it was given, so a test can look for its tokens. */
export class RecordingStore extends MemorySessionStore {
  readonly seen: BffSession[] = []
  override set(key: string, session: BffSession): void {
    this.seen.push(session)
    super.set(key, session)
  }
}

/** A node:http server on a free loopback port (the demo apps' own helper). */
export function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Listening> {
  return listenOn(
    '127.0.0.1',
    0,
    () => 'http://127.0.0.1',
    async (request, response) => handler(request, response),
    () => {},
  )
}

/** The app's API: verifies the Bearer token as any resource server would, and answers who called. */
export async function startApi(
  t: TestServer,
): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const verify = createRequestVerifier({
    issuer: t.config.issuer ?? t.url,
    audience: t.config.audience,
    jwksUri: `${t.url}/.well-known/jwks.json`,
  })
  const hits: string[] = []
  const api = await listen((request, response) => {
    hits.push(`${request.method} ${request.url}`)
    verify(request).then(
      ({ claims }) => {
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'api=1; Path=/' })
        response.end(JSON.stringify({ sub: claims.sub, method: request.method, path: request.url }))
      },
      (error: unknown) => {
        const http = toHttpError(error)
        response.writeHead(http.status, { 'content-type': 'application/json', ...http.headers })
        response.end(JSON.stringify(http.body))
      },
    )
  })
  return { url: `http://127.0.0.1:${api.port}`, hits, close: api.close }
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>BFF app</title></head>
<body><h1>An app behind the BFF</h1><p data-page>no token in here</p></body></html>`

export interface BffApp {
  t: TestServer
  bff: Bff
  store: RecordingStore
  url: string
  api: { url: string; hits: string[] }
  close(): Promise<void>
}

/**
 * Server, user `lin`, API, and the app with the BFF on a free port, its client registered for it;
 * `options` go to createBff over the defaults.
 */
export async function startBffApp(options: Partial<BffOptions> = {}): Promise<BffApp> {
  const t = await startTestServer()
  await addProfileUser(t, 'lin')
  const api = await startApi(t)
  const store = new RecordingStore()
  let bff: Bff | undefined
  const app = await listen((request, response) => {
    const handle = bffNodeHandler(bff!)
    handle(request, response)
      .then((done) => {
        if (done) return
        response.writeHead(request.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
        response.end(PAGE)
      })
      .catch(() => {
        response.writeHead(500)
        response.end()
      })
  })
  const origin = `http://localhost:${app.port}`
  bff = await createBff({
    issuer: t.url,
    clientId: 'bff-app',
    clientSecret: BFF_SECRET,
    origin,
    apiBaseUrl: api.url,
    store,
    ...options,
  })
  await addClient(
    t,
    {
      id: 'bff-app',
      name: 'BFF app',
      redirectUris: [bff.settings.redirectUri],
      postLogoutRedirectUris: [bff.settings.postLogoutRedirectUri],
      backchannelLogoutUri: bff.backchannelLogoutUri,
      scope: 'openid profile email offline_access',
      grantTypes: ['authorization_code', 'refresh_token'],
    },
    BFF_SECRET,
  )
  return {
    t,
    bff,
    store,
    url: origin,
    api,
    async close() {
      await app.close()
      await api.close()
      await t.cleanup()
    },
  }
}
