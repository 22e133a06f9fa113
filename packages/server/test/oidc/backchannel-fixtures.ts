/**
 * @module What the back-channel logout tests share: a relying party's logout endpoint on loopback
 * (node:http) that answers as told (`ok`, `fail` with a 503, or `hang`), records what it was sent and
 * lets a test wait for the next request; and the logout token's claims, verified with `jose`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { Harness } from './authorize-fixtures.js'

export type Mode = 'ok' | 'fail' | 'hang'

export interface Receiver {
  url: string
  mode: Mode
  bodies: { contentType: string | undefined; body: string }[]
  /** Resolves at the next request. */
  next(): Promise<void>
  close(): Promise<void>
}

export async function receiver(mode: Mode): Promise<Receiver> {
  let waiting: (() => void) | undefined
  const state: Receiver = {
    url: '',
    mode,
    bodies: [],
    next: () => new Promise<void>((resolve) => (waiting = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      state.bodies.push({ contentType: request.headers['content-type'], body })
      waiting?.()
      if (state.mode === 'hang') return
      response.writeHead(state.mode === 'ok' ? 200 : 503).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  state.url = `http://127.0.0.1:${address.port}/backchannel-logout`
  return state
}

/** The logout token of the receiver's request `index`, verified against the server's JWKS for `clientId`. */
export async function logoutClaims(
  h: Harness,
  r: Receiver,
  index: number,
  clientId: string,
): Promise<JWTPayload> {
  const logoutToken = new URLSearchParams(r.bodies[index]!.body).get('logout_token')!
  const jwks = createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())
  const { payload } = await jwtVerify(logoutToken, jwks, {
    issuer: h.t.url,
    audience: clientId,
    typ: 'logout+jwt',
    currentDate: new Date(h.now()),
    requiredClaims: ['iat', 'exp', 'jti', 'sid', 'sub', 'events'],
  })
  return payload
}
