/**
 * @module "Photos": a single-page app on @tessera/client — a public client (no secret, PKCE, DPoP with a
 * non-extractable key), its tokens in the page's memory, one refresh shared by all its tabs — served with
 * its small photos API from one origin (localhost, another site than Notes). The server holds no user
 * session at all: it serves the page and the bundle, and the API checks each call's access token.
 */
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import type { RevocationCheck } from '@tessera/server'
import Fastify, { type FastifyReply } from 'fastify'
import type { DemoApp, DemoAppOptions } from '../options.js'
import { photosApi } from './photos-api.js'
import { photosCsp, renderPhotosPage } from './photos-page.js'

const ABOUT =
  'A single-page app on @tessera/client: a public client with DPoP, tokens in memory only, one refresh for all its tabs.'

/** The bundle `npm run build -w @tessera/demo` makes (scripts/bundle-spa.mjs), from src/ or dist/ alike. */
export const PHOTOS_BUNDLE = new URL('../../dist/photos-spa/photos-spa.js', import.meta.url)

export interface PhotosAppOptions extends DemoAppOptions {
  /** The `aud` of the provider's access tokens (its --audience; default `tessera`). */
  audience?: string
  /**
   * Refuse tokens of an ended provider session at once: the issuer's revocation feed
   * (`subscribeRevocations`), or `server.services.revocations` in the server's own process.
   */
  revocations?: RevocationCheck
  /** The flow page's origin (default: the issuer's), where a tab it opened reports its token events. */
  flowOrigin?: string
}

/** A port free right now on `host` (the kernel's pick for port 0). */
async function freePort(host: string): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, host, resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

function readBundle(): string {
  try {
    return readFileSync(PHOTOS_BUNDLE, 'utf8')
  } catch {
    throw new Error(
      `the Photos bundle is missing at ${PHOTOS_BUNDLE.pathname}: run npm run build -w @tessera/demo`,
    )
  }
}

export async function startPhotosApp(options: PhotosAppOptions): Promise<DemoApp> {
  const bundle = readBundle()
  const issuer = options.issuer
  const log = options.log ?? (() => {})
  const events = new EventEmitter()
  const publicHost = options.publicHost ?? 'localhost'
  const app = Fastify({ logger: false })
  // The origin goes into the API's DPoP check before listening, so port 0 is resolved to a free port first.
  const port = options.port === 0 ? await freePort(options.host ?? '127.0.0.1') : options.port
  const origin = `http://${publicHost}:${port}`
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string
  }
  const headers = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': photosCsp(issuer),
  }
  const page = (_request: unknown, reply: FastifyReply) =>
    reply.headers({ ...headers, 'content-type': 'text/html; charset=utf-8' }).send(
      renderPhotosPage(
        {
          issuer,
          clientId: options.clientId,
          redirectUri: `${origin}/callback`,
          flowOrigin: options.flowOrigin ?? new URL(issuer).origin,
          ...(options.otherApp ? { otherApp: options.otherApp } : {}),
        },
        ABOUT,
      ),
    )
  app.get('/', page)
  app.get('/callback', page)
  app.addHook('onError', async (request, _reply, error) => {
    log(`photos: ${request.method} ${request.url.split('?')[0]} failed: ${error.message}`)
  })
  app.get('/favicon.ico', (_request, reply) => reply.code(204).headers(headers).send())
  app.get('/photos-spa.js', (_request, reply) =>
    reply.headers({ ...headers, 'content-type': 'text/javascript; charset=utf-8' }).send(bundle),
  )
  await photosApi(app, {
    issuer,
    audience: options.audience ?? 'tessera',
    jwksUri: discovery.jwks_uri,
    publicOrigin: origin,
    ...(options.revocations ? { revocations: options.revocations } : {}),
    events,
  })
  events.on('api', (call: { status: number; sub?: string }) => {
    if (call.status !== 200) log(`photos: api answered ${call.status}`)
  })
  await app.listen({ host: options.host ?? '127.0.0.1', port })
  return {
    url: origin,
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/`,
    events,
    close: () => app.close(),
  }
}
