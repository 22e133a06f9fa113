/**
 * @module The development demo clients: a server started in development registers Notes and Photos once
 * (a restart on the same database keeps them, with the same derived secret), `--no-demo-clients` leaves
 * them out, and production refuses the setting.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { demoClientCredentials, loadConfig } from '../../src/index.js'
import { startTestServer, TEST_SECRET, tempDir } from '../helpers/test-server.js'

test('development start registers notes and photos once; a restart keeps them and the derived secret works', async () => {
  const dir = tempDir()
  try {
    for (let run = 0; run < 2; run++) {
      const t = await startTestServer({}, { dir })
      try {
        const clients = t.server.services.clients
        const notes = await clients.find('notes')
        const photos = await clients.find('photos')
        assert.equal(notes?.type, 'confidential', `run ${run}`)
        assert.equal(photos?.type, 'public', `run ${run}`)
        assert.equal(
          clients.authenticateSecret(notes!, demoClientCredentials(TEST_SECRET).notes.clientSecret),
          true,
        )
        assert.equal((await clients.list()).filter((c) => c.id === 'notes').length, 1)
      } finally {
        await t.stop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a demo client an older release registered otherwise is brought back to its definition at start', async () => {
  const dir = tempDir()
  try {
    const first = await startTestServer({}, { dir })
    try {
      // Photos as an earlier release registered it: no DPoP setting, a back-channel URI, fewer scopes.
      await first.server.services.store.clients.update(
        'photos',
        {
          dpop: 'allowed',
          backchannelLogoutUri: 'http://localhost:8082/backchannel-logout',
          scope: 'openid',
        },
        Date.now(),
      )
      assert.equal((await first.server.services.clients.find('photos'))?.dpop, 'allowed')
    } finally {
      await first.stop()
    }
    const second = await startTestServer({}, { dir })
    try {
      const photos = await second.server.services.clients.find('photos')
      assert.equal(photos?.dpop, 'required')
      assert.equal(photos?.backchannelLogoutUri, null)
      assert.equal(photos?.scope, 'openid profile email offline_access')
      const notes = await second.server.services.clients.find('notes')
      assert.equal(
        second.server.services.clients.authenticateSecret(
          notes!,
          demoClientCredentials(TEST_SECRET).notes.clientSecret,
        ),
        true,
      )
    } finally {
      await second.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('--no-demo-clients registers none; production refuses demo clients', async () => {
  const t = await startTestServer({ demoClients: false })
  try {
    assert.equal(await t.server.services.clients.find('notes'), undefined)
  } finally {
    await t.cleanup()
  }
  assert.throws(
    () =>
      loadConfig({
        production: true,
        secret: TEST_SECRET,
        issuer: 'https://id.example.test',
        demoUser: false,
        demoClients: true,
      }),
    {
      code: 'ERR_CONFIG_INVALID',
      message: /--demo-clients: production mode never registers the demo clients/,
    },
  )
  assert.equal(
    loadConfig({ production: true, secret: TEST_SECRET, issuer: 'https://id.example.test' }).demoClients,
    false,
  )
})
