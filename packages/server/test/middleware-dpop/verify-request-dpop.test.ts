/**
 * @module `verifyRequest` with `dpop` outside Fastify, on tokens from a real Tessera server: a node:http
 * resource server, the path taken from `originalUrl` where a framework rewrites `url` (Express mounts), two
 * instances sharing one injected replay cache (a proof replayed to the other instance is refused: exactly one
 * of the two is answered), the optional nonce policy (`use_dpop_nonce` with a `DPoP-Nonce`, then the retry),
 * and the options refused at start.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { createMemoryReplayCache } from '@tessera/jose'
import Fastify from 'fastify'
import { createRequestVerifier, requireAuth, toHttpError } from '../../src/index.js'
import { thumbprint } from '../dpop/dpop-fixtures.js'
import { boundTokens, dpopChallenge, newKey, proof, read } from '../dpop-resources/fixtures.js'
import { startTestServer, type TestServer, type Tokens } from '../helpers/test-server.js'

const PUBLIC_ORIGIN = 'https://api.example.test/v1'

let t: TestServer
let key: KeyObject
let bound: Tokens
const servers: Server[] = []

const base = () => ({ issuer: t.url, audience: 'tessera', jwksUri: `${t.url}/.well-known/jwks.json` })

/** A node:http resource server on verifyRequest; answers 200 { sub } or the error as toHttpError maps it. */
async function nodeServer(verifyRequest: ReturnType<typeof createRequestVerifier>): Promise<string> {
  const server = createServer(async (request, response) => {
    try {
      const { claims } = await verifyRequest(request)
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: claims.sub }))
    } catch (error) {
      const http = toHttpError(error)
      response
        .writeHead(http.status, { ...http.headers, 'content-type': 'application/json' })
        .end(JSON.stringify(http.body))
    }
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const dpopCall = (url: string, path: string, dpop: string) =>
  fetch(url + path, { headers: { authorization: `DPoP ${bound.access_token}`, dpop } }).then(read)

before(async () => {
  t = await startTestServer()
  key = newKey()
  bound = await boundTokens(t, 'rs-verify-dpop', key)
})
after(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
  await t.cleanup()
})

test('node:http: a proof for the public origin with its path prefix is answered; the listening address is not it', async () => {
  const url = await nodeServer(
    createRequestVerifier({ ...base(), dpop: { publicOrigin: `${PUBLIC_ORIGIN}/` } }),
  )
  const good = proof(key, 'GET', `${PUBLIC_ORIGIN}/notes`, { accessToken: bound.access_token })
  const answer = await dpopCall(url, '/notes', good)
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  const byHost = proof(key, 'GET', `${url}/notes`, { accessToken: bound.access_token })
  assert.equal((await dpopCall(url, '/notes', byHost)).body.error, 'invalid_dpop_proof')
})

test('the path is read from originalUrl when a framework rewrote url', async () => {
  const verifyRequest = createRequestVerifier({ ...base(), dpop: { publicOrigin: PUBLIC_ORIGIN } })
  const headers = {
    authorization: `DPoP ${bound.access_token}`,
    dpop: proof(key, 'GET', `${PUBLIC_ORIGIN}/api/notes`, { accessToken: bound.access_token }),
  }
  const result = await verifyRequest({ method: 'GET', url: '/notes', originalUrl: '/api/notes', headers })
  assert.equal(result.dpop?.jkt, await thumbprint(key))
  await assert.rejects(verifyRequest({ headers: { ...headers } }), TypeError)
})

test('two instances sharing one replay cache: the same proof is answered by exactly one', async () => {
  const replay = createMemoryReplayCache()
  const options = { ...base(), dpop: { publicOrigin: PUBLIC_ORIGIN, replay } }
  const [one, two] = [
    await nodeServer(createRequestVerifier(options)),
    await nodeServer(createRequestVerifier(options)),
  ]
  const once = proof(key, 'GET', `${PUBLIC_ORIGIN}/notes`, { accessToken: bound.access_token })
  const answers = await Promise.all([dpopCall(one!, '/notes', once), dpopCall(two!, '/notes', once)])
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401])
  const refusedAnswer = answers.find((a) => a.status === 401)!
  assert.equal(refusedAnswer.body.error, 'invalid_dpop_proof')
  assert.equal(refusedAnswer.body.code, 'ERR_DPOP_PROOF_INVALID')
  assert.match(String(refusedAnswer.body.error_description), /already used/)
})

test('with a nonce key: use_dpop_nonce with DPoP-Nonce first, the retry with it is answered and gets the next nonce', async () => {
  const app = Fastify()
  await app.register(
    requireAuth({ ...base(), dpop: { publicOrigin: PUBLIC_ORIGIN, nonceKey: randomBytes(32) } }),
  )
  app.get('/notes', async (request) => ({ sub: request.auth?.claims.sub }))
  const htu = `${PUBLIC_ORIGIN}/notes`
  const first = await app.inject({
    url: '/notes',
    headers: {
      authorization: `DPoP ${bound.access_token}`,
      dpop: proof(key, 'GET', htu, { accessToken: bound.access_token }),
    },
  })
  assert.equal(first.statusCode, 401)
  assert.equal(first.json().error, 'use_dpop_nonce')
  const nonce = first.headers['dpop-nonce'] as string
  assert.match(nonce, /^[A-Za-z0-9_-]{22}$/)
  const challenge = dpopChallenge(new Headers(first.headers as Record<string, string>))
  assert.equal(challenge?.error, 'use_dpop_nonce')
  const retry = await app.inject({
    url: '/notes',
    headers: {
      authorization: `DPoP ${bound.access_token}`,
      dpop: proof(key, 'GET', htu, { accessToken: bound.access_token, nonce }),
    },
  })
  assert.equal(retry.statusCode, 200, retry.body)
  assert.equal(retry.headers['dpop-nonce'], nonce)
  const wrong = await app.inject({
    url: '/notes',
    headers: {
      authorization: `DPoP ${bound.access_token}`,
      dpop: proof(key, 'GET', htu, { accessToken: bound.access_token, nonce: 'A'.repeat(22) }),
    },
  })
  assert.equal(wrong.json().error, 'use_dpop_nonce')
  await app.close()
})

test('bad dpop options are refused when the verifier is made', () => {
  for (const dpop of [
    { publicOrigin: 'api.example.test' },
    { publicOrigin: 'https://api.example.test/?x=1' },
    { publicOrigin: 'ftp://api.example.test' },
    { publicOrigin: PUBLIC_ORIGIN, nonceKey: new Uint8Array(16) },
    { publicOrigin: PUBLIC_ORIGIN, maxAge: -1 },
    { publicOrigin: PUBLIC_ORIGIN, replay: {} as never },
  ]) {
    assert.throws(() => createRequestVerifier({ ...base(), dpop }), TypeError, JSON.stringify(dpop))
  }
})
