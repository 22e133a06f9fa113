/**
 * @module The OpenID Connect provider as three server processes on one fresh PostgreSQL schema and one
 * Redis, behind one issuer URL as behind a load balancer: a code issued through the pages of A is redeemed
 * at B; fifty parallel redemptions of one code over the three give exactly one token response and those
 * tokens are revoked for the replay (RFC 6749 §4.1.2) at every instance; a client added by `tessera
 * clients add` (the built CLI, against the same database) while the servers run works at once on C.
 * Skips loudly without PostgreSQL and Redis (fails with TESSERA_REQUIRE_SERVICES=1).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { type Instance, startInstance } from '../helpers/instances.js'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { INTROSPECTION, TEST_SECRET } from '../helpers/test-server.js'
import { formFields, Jar, pkce } from './authorize-fixtures.js'

const ISSUER = 'https://auth.tessera.test'
const PASSWORD = 'correct horse battery staple'
const REDIRECT_URI = 'https://multi.example/callback'
const CLI = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url))
/** How long a revocation pushed from one instance may take to reach the others' caches. */
const PUSH_BOUND_MS = 5_000

interface Client {
  id: string
  secret: string
}

/** `tessera clients add` on the built CLI against `database`; returns the printed id and secret. */
function cliAddClient(database: string, name: string): Client {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before this test`)
  const result = spawnSync(
    process.execPath,
    [
      CLI,
      'clients',
      'add',
      name,
      '--redirect-uri',
      REDIRECT_URI,
      '--first-party',
      '--database',
      database,
      '--json',
    ],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TESSERA_SECRET: TEST_SECRET, TESSERA_ISSUER: ISSUER },
    },
  )
  assert.equal(result.status, 0, `tessera clients add: ${result.stderr}`)
  const printed = JSON.parse(result.stdout) as { client_id: string; client_secret: string }
  return { id: printed.client_id, secret: printed.client_secret }
}

const basic = (c: Client) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`,
})

async function tokenAt(i: Instance, client: Client, form: Record<string, string>) {
  const response = await fetch(`${i.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic(client) },
    body: new URLSearchParams(form),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** A browser's request to one instance; same-origin, as all three answer under one host name. */
async function browse(i: Instance, jar: Jar, path: string, form?: URLSearchParams): Promise<Response> {
  const response = await fetch(i.url + path, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...jar.header(),
      ...(form
        ? { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }
        : {}),
    },
    ...(form ? { body: form } : {}),
  })
  jar.take(response)
  return response
}

/** /authorize at `i` for `client`, signing `username` in on its login page when shown; the code. */
async function codeFrom(i: Instance, jar: Jar, client: Client, username: string) {
  const { verifier, challenge } = pkce()
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile offline_access',
    state: 'st-multi',
    nonce: 'n-multi',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  let response = await browse(i, jar, `/authorize?${params}`)
  if (response.status === 200) {
    const { interaction, csrf } = formFields(await response.text())
    response = await browse(
      i,
      jar,
      '/authorize/login',
      new URLSearchParams({ interaction, csrf_token: csrf, username, password: PASSWORD }),
    )
  }
  assert.ok(response.status === 302 || response.status === 303, `authorize at ${i.name}: ${response.status}`)
  const location = new URL(response.headers.get('location')!)
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI)
  assert.equal(location.searchParams.get('iss'), ISSUER)
  assert.equal(location.searchParams.get('state'), 'st-multi')
  const code = location.searchParams.get('code')
  assert.ok(code, `no code: ${location}`)
  return {
    form: { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI },
  }
}

const missing = await servicesMissing({ redis: true })
if (missing) skipLoudly('the OpenID Connect provider on three instances over PostgreSQL + Redis', missing)
else {
  describe('OpenID Connect on three instances sharing PostgreSQL and Redis', () => {
    const db = freshDatabase('oidc3')
    let a: Instance
    let b: Instance
    let c: Instance
    let client: Client

    before(async () => {
      const settings = {
        database: db.url,
        redis: REDIS_URL,
        secret: TEST_SECRET,
        issuer: ISSUER,
        introspectionClients: [INTROSPECTION],
        logLevel: 'info',
      }
      // One after another: each start has 20 s, which a loaded machine can need for three at once.
      a = await startInstance('A', settings)
      b = await startInstance('B', settings)
      c = await startInstance('C', settings)
      for (const username of ['ada', 'bob']) {
        const response = await fetch(`${a.url}/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        })
        assert.equal(response.status, 201)
      }
      client = cliAddClient(db.url, 'Multi')
    })
    after(async () => {
      await Promise.all([a, b, c].map((i) => i?.stop()))
      await db.drop()
    })

    const userinfoStatus = async (i: Instance, access: unknown) =>
      (await fetch(`${i.url}/userinfo`, { headers: { authorization: `Bearer ${access}` } })).status
    const introspected = async (i: Instance, tokenValue: unknown) => {
      const response = await fetch(`${i.url}/oauth/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token: String(tokenValue) }),
      })
      return ((await response.json()) as { active: boolean }).active
    }
    /** Polls until `i` refuses the access token at /userinfo (revocations are pushed, not instant). */
    async function refusedWithin(i: Instance, access: unknown): Promise<void> {
      const start = performance.now()
      for (;;) {
        const status = await userinfoStatus(i, access)
        if (status === 401) return
        assert.equal(status, 200, `${i.name} answered ${status}`)
        assert.ok(
          performance.now() - start < PUSH_BOUND_MS,
          `${i.name} still accepts the revoked access token after ${PUSH_BOUND_MS} ms`,
        )
      }
    }

    test('a code issued on A (its login page) is redeemed on B; the ID token verifies against C’s JWKS', async () => {
      const jar = new Jar()
      const { form } = await codeFrom(a, jar, client, 'ada')
      const answer = await tokenAt(b, client, form)
      assert.equal(answer.status, 200, JSON.stringify(answer.body))
      const jwks = createLocalJWKSet(await (await fetch(`${c.url}/.well-known/jwks.json`)).json())
      const { payload } = await jwtVerify(answer.body.id_token as string, jwks, {
        issuer: ISSUER,
        audience: client.id,
        algorithms: ['RS256'],
      })
      assert.equal(payload.nonce, 'n-multi')
      assert.equal(await userinfoStatus(c, answer.body.access_token), 200)
      // The provider session made on A is single sign-on on B and C.
      for (const i of [b, c]) {
        const sso = await browse(i, jar, `/authorize?${authorizeQuery(client)}`)
        assert.equal(sso.status, 302, `single sign-on at ${i.name}`)
      }
    })

    test('fifty parallel redemptions of one code over A, B and C: one token response, the rest invalid_grant, and the winner’s tokens revoked everywhere', async () => {
      const { form } = await codeFrom(a, new Jar(), client, 'bob')
      const instances = [a, b, c]
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, n) => tokenAt(instances[n % 3]!, client, form)),
      )
      const winners = answers.filter((x) => x.status === 200)
      assert.equal(winners.length, 1, `token responses: ${winners.length}`)
      for (const x of answers.filter((y) => y.status !== 200)) {
        assert.equal(x.status, 400)
        assert.equal(x.body.error, 'invalid_grant')
        assert.equal(x.body.access_token, undefined)
      }
      const won = winners[0]!.body
      assert.equal(typeof won.refresh_token, 'string')
      for (const i of instances) {
        const refresh = await tokenAt(i, client, {
          grant_type: 'refresh_token',
          refresh_token: won.refresh_token as string,
        })
        assert.equal(refresh.status, 400, `refresh at ${i.name}`)
        assert.equal(refresh.body.error, 'invalid_grant')
        await refusedWithin(i, won.access_token)
        assert.equal(await introspected(i, won.access_token), false, `introspection at ${i.name}`)
      }
    })

    test('a client added by `tessera clients add` while the servers run works at once on C (authorize + token)', async () => {
      // C has answered authorization requests (and filled whatever it caches) before this client exists.
      const probe = await browse(c, new Jar(), `/authorize?${authorizeQuery({ id: 'not-yet', secret: '' })}`)
      assert.equal(probe.status, 400)
      const added = cliAddClient(db.url, 'Late')
      const { form } = await codeFrom(c, new Jar(), added, 'ada')
      const answer = await tokenAt(c, added, form)
      assert.equal(answer.status, 200, JSON.stringify(answer.body))
      assert.equal(typeof answer.body.id_token, 'string')
      // And with the wrong secret it is refused there too (it is the registered client, not any client).
      const wrong = await tokenAt(
        a,
        { id: added.id, secret: `${added.secret}x` },
        {
          grant_type: 'refresh_token',
          refresh_token: answer.body.refresh_token as string,
        },
      )
      assert.equal(wrong.status, 401)
      assert.equal(wrong.body.error, 'invalid_client')
    })
  })
}

/** The query of a plain authorization request for `client` (a fresh PKCE challenge). */
function authorizeQuery(client: Client): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    state: 'st',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  })
}
