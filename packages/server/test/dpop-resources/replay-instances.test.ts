/**
 * @module A proof for `GET /me` sent to two instances on one SQLite file at the same moment is answered
 * by exactly one of them: the resource endpoints share the replay entries of the token endpoints (the SQL
 * `replay_ids` table here; Redis with `--redis`, raced at the token endpoints in test/dpop/).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestServer, type TestServer, tempDir } from '../helpers/test-server.js'
import { call, newKey, proof } from './fixtures.js'

const ISSUER = 'https://auth.example.test'
const PROOFS = 20

describe('GET /me on two instances on one SQLite file', () => {
  const dir = tempDir()
  let servers: TestServer[] = []
  before(async () => {
    const first = await startTestServer({ issuer: ISSUER }, { dir })
    servers = [first, await startTestServer({ issuer: ISSUER }, { dir })]
  })
  after(async () => {
    await servers[1]?.stop()
    await servers[0]?.cleanup()
  })

  test('each proof sent to both at once is accepted exactly once', async () => {
    const key = newKey()
    const registered = await fetch(`${servers[0]!.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', dpop: proof(key, 'POST', `${ISSUER}/auth/register`) },
      body: JSON.stringify({ username: 'racer-me', password: 'correct horse battery staple' }),
    })
    const tokens = (await registered.json()) as { access_token: string; token_type: string }
    assert.equal(tokens.token_type, 'DPoP')
    const accessToken = tokens.access_token
    const proofs = Array.from({ length: PROOFS }, () => proof(key, 'GET', `${ISSUER}/me`, { accessToken }))
    const answers = await Promise.all(
      proofs.flatMap((dpop) =>
        servers.map((server) => call(server, 'GET', '/me', { token: accessToken, dpop })),
      ),
    )
    for (const answer of answers)
      if (answer.status !== 200)
        assert.equal(answer.body.error, 'invalid_dpop_proof', JSON.stringify(answer.body))
    const accepted = proofs.map(
      (_, i) => answers.slice(i * 2, i * 2 + 2).filter((answer) => answer.status === 200).length,
    )
    assert.deepEqual(accepted, Array(PROOFS).fill(1))
  })
})
