/**
 * @module A resource server for `npm run load`: plain `node:http` + `createRequestVerifier` with the
 * issuer's key set fetched once, so every request is a signature check and nothing else — no call to
 * the auth server, no database, no Redis. Prints `READY <url>`.
 *
 * Usage: node --import tsx scripts/load-resource-server.ts <issuer> <audience> <jwks url>
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequestVerifier } from '../packages/server/src/index.js'

const [issuer, audience, jwksUrl] = process.argv.slice(2) as [string, string, string]
const keys = (await (await fetch(jwksUrl)).json()) as { keys: [] }
const verify = createRequestVerifier({ issuer, audience, keys })

const server = createServer((request, response) => {
  verify(request).then(
    ({ claims }) => {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      response.end(JSON.stringify({ sub: claims.sub, scope: claims.scope }))
    },
    (error: { status?: number; code?: string }) => {
      response.writeHead(error.status ?? 500, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ error: 'invalid_token', code: error.code }))
    },
  )
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => server.close(() => process.exit(0)))
