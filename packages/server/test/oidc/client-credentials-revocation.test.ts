/**
 * @module A client_credentials access token is not revocable, by design (docs/oidc.md): it names no user
 * session, so there is nothing in the revocation set to end, and making one revocable would cost a store
 * write per grant. What the server promises instead, on a real server: the token lives `--access-ttl`
 * and no longer, `/oauth/revoke` answers 200 (RFC 7009 §2.2) and changes nothing, and introspection keeps
 * telling the truth — active until `exp`, inactive after.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { addConfidential, basic, token } from './token-fixtures.js'

const ACCESS_TTL_S = 300

let h: Harness

before(async () => {
  h = await startHarness({ accessTtl: ACCESS_TTL_S })
})
after(() => h.t.cleanup())

test('revoking a client_credentials token answers 200, and introspection says active until exp, then not', async () => {
  const { secret } = await addConfidential(h, 'cron')
  const auth = basic('cron', secret)
  const issued = await token(h, { grant_type: 'client_credentials' }, auth)
  assert.equal(issued.status, 200)
  const accessToken = issued.body.access_token as string
  assert.equal(issued.body.expires_in, ACCESS_TTL_S)
  const revoked = await h.t.form(
    '/oauth/revoke',
    { token: accessToken, token_type_hint: 'access_token' },
    auth,
  )
  assert.equal(revoked.status, 200)
  const still = await h.t.introspect(accessToken)
  assert.equal(still.active, true, 'not revocable: introspection does not pretend otherwise')
  assert.equal(Number(still.exp) - Number(still.iat), ACCESS_TTL_S)
  h.advance((ACCESS_TTL_S + 120) * 1000)
  assert.equal((await h.t.introspect(accessToken)).active, false)
})
