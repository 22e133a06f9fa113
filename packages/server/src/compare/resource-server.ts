/**
 * @module The resource server a comparison starts beside the issuer: plain `node:http` with the library's
 * `createRequestVerifier` over the issuer's JWKS URL (fetched once, then cached), so each request is a
 * signature check and nothing else — no call to the issuer, no store. Its Server-Timing says so.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startTiming } from '../http/server-timing.js'
import { createRequestVerifier } from '../middleware/verify-request.js'

export interface ResourceServer {
  url: string
  close(): Promise<void>
}

export async function startResourceServer(options: {
  issuer: string
  audience: string
  jwksUri: string
}): Promise<ResourceServer> {
  const verify = createRequestVerifier(options)
  const server = createServer((request, response) => {
    const timing = startTiming()
    timing
      .time('signature', () => verify(request))
      .then(
        ({ claims }) => {
          response.writeHead(200, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            'server-timing': timing.header(),
          })
          response.end(JSON.stringify({ sub: claims.sub }))
        },
        (error: { status?: number; code?: string }) => {
          response.writeHead(error.status ?? 500, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ error: 'invalid_token', code: error.code }))
        },
      )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
