/**
 * @module The DPoP settings and what the issuer says about them: `--dpop-nonce` and
 * `--dpop-proof-max-age` (validated), `dpop_signing_alg_values_supported` in both discovery documents,
 * a client's `dpop` setting through registration (and refused when unknown), `/authorize`'s `dpop_jkt`
 * dropped for a client with DPoP `off`, and `tessera clients add --dpop` / `clients list` on the built CLI.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { tempDir as cliTempDir, stderrCode, tessera } from '../../../cli/test/support/run-cli.js'
import { DPOP_SIGNING_ALGS } from '../../src/dpop/algorithms.js'
import { ConfigInvalid } from '../../src/errors.js'
import { loadConfig, openStore } from '../../src/index.js'
import { readParams } from '../../src/oidc/authorize/request-params.js'
import { validateRequest } from '../../src/oidc/authorize/validate-request.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'
import { clientRecord } from '../oidc/authorize-fixtures.js'

describe('settings', () => {
  test('defaults: nonces off, proofs accepted for 5 minutes', () => {
    const config = loadConfig({ secret: 'x'.repeat(32) })
    assert.equal(config.dpopNonce, 'off')
    assert.equal(config.dpopProofMaxAge, 300)
  })

  test('refused: a nonce mode other than required/off, a window under 10 s or over 10 min', () => {
    for (const [overrides, setting] of [
      [{ dpopNonce: 'sometimes' as 'off' }, '--dpop-nonce'],
      [{ dpopProofMaxAge: 5 }, '--dpop-proof-max-age'],
      [{ dpopProofMaxAge: 3600 }, '--dpop-proof-max-age'],
    ] as const) {
      assert.throws(
        () => loadConfig({ secret: 'x'.repeat(32), ...overrides }),
        (error: unknown) => error instanceof ConfigInvalid && error.setting === setting,
      )
    }
  })
})

describe('the issuer', () => {
  let t: TestServer
  before(async () => {
    t = await startTestServer()
  })
  after(() => t.cleanup())

  test('both discovery documents list the proof algorithms: asymmetric only', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const doc = (await (await t.get(path)).json()) as Record<string, unknown>
      assert.deepEqual(doc.dpop_signing_alg_values_supported, [...DPOP_SIGNING_ALGS], path)
    }
    assert.ok(!DPOP_SIGNING_ALGS.some((alg) => /^HS|^none$/i.test(alg)))
  })

  test('registration keeps the dpop setting, defaults it to allowed, refuses an unknown one', async () => {
    const { clients } = t.server.services
    const base = { name: 'App', type: 'public' as const, redirectUris: ['https://app.example/cb'] }
    const plain = await clients.register({ ...base, id: 'app-default' })
    assert.equal(plain.client.dpop, 'allowed')
    const strict = await clients.register({ ...base, id: 'app-required', dpop: 'required' })
    assert.equal((await t.server.services.store.clients.find(strict.client.id))?.dpop, 'required')
    await assert.rejects(clients.register({ ...base, id: 'app-bad', dpop: 'maybe' as 'off' }), {
      code: 'ERR_CLIENT_INVALID',
    })
  })

  test('/authorize: dpop_jkt binds the code, except for a client with DPoP off', () => {
    const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
    const validate = (client: ReturnType<typeof clientRecord>) =>
      validateRequest(
        readParams(
          new URLSearchParams({
            client_id: client.id,
            response_type: 'code',
            redirect_uri: client.redirectUris[0]!,
            scope: 'openid',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
            dpop_jkt: jkt,
          }),
        ),
        { client, redirectUri: client.redirectUris[0]! },
      )
    assert.equal(validate(clientRecord('app-jkt', Date.now())).dpopJkt, jkt)
    assert.equal(validate(clientRecord('app-off', Date.now(), { dpop: 'off' })).dpopJkt, null)
  })
})

describe('tessera clients add --dpop, clients list', () => {
  const dir = cliTempDir()
  const database = `sqlite:${join(dir.path, 'clients.db')}`
  const cli = (args: string[]) =>
    tessera(['clients', ...args, '--database', database], {
      cwd: dir.path,
      env: { TESSERA_SECRET: 'cli-test-secret-0123456789-abcdefghijkl' },
    })
  after(() => dir.remove())

  test('the setting is stored, listed as JSON and in the table; an unknown one is a usage error', async () => {
    const added = cli([
      'add',
      'Mobile',
      '--type',
      'public',
      '--dpop',
      'required',
      '--redirect-uri',
      'http://127.0.0.1/cb',
      '--json',
    ])
    assert.equal(added.status, 0, added.stderr)
    const { client_id } = JSON.parse(added.stdout) as { client_id: string }
    const plain = cli(['add', 'Web', '--type', 'public', '--redirect-uri', 'http://127.0.0.1/cb'])
    assert.equal(plain.status, 0, plain.stderr)

    const listed = cli(['list', '--json'])
    assert.equal(listed.status, 0, listed.stderr)
    const rows = JSON.parse(listed.stdout) as { client_id: string; client_name: string; dpop: string }[]
    assert.equal(rows.find((c) => c.client_id === client_id)?.dpop, 'required')
    assert.equal(rows.find((c) => c.client_name === 'Web')?.dpop, 'allowed')
    const table = cli(['list'])
    assert.match(table.stdout, /DPOP/)
    assert.match(table.stdout, /required/)

    const store = await openStore(database)
    try {
      assert.equal((await store.clients.find(client_id))?.dpop, 'required')
    } finally {
      await store.close()
    }

    const bad = cli(['add', 'Bad', '--dpop', 'sometimes', '--redirect-uri', 'http://127.0.0.1/cb'])
    assert.equal(bad.status, 2, bad.stderr)
    assert.match(bad.stderr, /--dpop must be required, allowed or off/)
    assert.ok(stderrCode(bad.stderr))
  })
})
