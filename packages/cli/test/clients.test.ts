/**
 * @module `tessera clients add|list|remove|rotate-secret` and the users' profile flags, on the built
 * binary against a temp SQLite store: the secret is printed once and never stored or listed, refusals
 * carry their codes and exit statuses, and a running server accepts a client added while it runs.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { openStore } from '@tessera/server'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'
import { serve } from './support/serve.js'

const dir = tempDir()
const file = join(dir.path, 'clients.db')
const database = `sqlite:${file}`
const PASSWORD = 'a long and unusual passphrase 7'
// Production rules for redirect URIs (https unless loopback) need the settings production demands.
const PRODUCTION = {
  TESSERA_PRODUCTION: 'true',
  TESSERA_SECRET: 'cli-test-secret-0123456789-abcdefghijkl',
  TESSERA_ISSUER: 'https://id.example.test',
  TESSERA_DEMO_USER: 'false',
  TESSERA_DEMO_CLIENTS: 'false',
}
after(() => dir.remove())

function cli(group: string, args: string[], env: Record<string, string> = {}, input = '') {
  return tessera([group, ...args, '--database', database], {
    cwd: dir.path,
    input,
    env: { TESSERA_SECRET: PRODUCTION.TESSERA_SECRET, ...env },
  })
}

const listed = () => {
  const result = cli('clients', ['list', '--json'])
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout) as Record<string, unknown>[]
}

describe('tessera clients', () => {
  let notesId = ''
  let notesSecret = ''

  test('add prints client_id and client_secret once; the store keeps only an HMAC of it', async () => {
    const result = cli('clients', [
      'add',
      'Notes',
      '--redirect-uri',
      'https://notes.example.com/callback',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--post-logout-redirect-uri',
      'https://notes.example.com/',
      '--backchannel-logout-uri',
      'https://notes.example.com/backchannel-logout',
      '--json',
    ])
    assert.equal(result.status, 0, result.stderr)
    const printed = JSON.parse(result.stdout) as { client_id: string; client_secret: string }
    assert.deepEqual(Object.keys(printed).sort(), ['client_id', 'client_secret'])
    assert.match(printed.client_secret, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url')
    assert.match(printed.client_id, /^[0-9a-f]{32}$/, '128 random bits that never look like a flag')
    notesId = printed.client_id
    notesSecret = printed.client_secret
    const store = await openStore(database)
    try {
      const stored = await store.clients.find(notesId)
      assert.match(stored?.secretHash ?? '', /^hmac-sha256:/)
      assert.ok(!JSON.stringify(stored).includes(notesSecret), 'the secret itself is not stored')
    } finally {
      await store.close()
    }
  })

  test('list shows the client with its URIs and no secret or hash; text output is a table', () => {
    const notes = listed().find((c) => c.client_id === notesId)
    assert.ok(notes)
    assert.equal(notes.client_name, 'Notes')
    assert.equal(notes.type, 'confidential')
    assert.equal(notes.token_endpoint_auth_method, 'client_secret_basic')
    assert.equal(notes.id_token_signed_response_alg, 'RS256')
    assert.deepEqual(notes.redirect_uris, ['https://notes.example.com/callback', 'http://127.0.0.1/callback'])
    assert.equal(notes.backchannel_logout_uri, 'https://notes.example.com/backchannel-logout')
    const text = cli('clients', ['list'])
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, /^CLIENT_ID\s+NAME\s+TYPE/)
    for (const output of [JSON.stringify(listed()), text.stdout]) {
      assert.ok(!output.includes(notesSecret))
      assert.ok(!output.includes('hmac-sha256'))
    }
  })

  test('a public client gets no secret and authenticates with none; its text output says so', () => {
    const result = cli('clients', [
      'add',
      'Photos',
      '--type',
      'public',
      '--redirect-uri',
      'http://localhost:8082/callback',
      '--first-party',
      '--id-token-alg',
      'EdDSA',
    ])
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^client_id: \S+\n$/)
    assert.doesNotMatch(result.stdout, /client_secret/)
    const photos = listed().find((c) => c.client_name === 'Photos')
    assert.equal(photos?.token_endpoint_auth_method, 'none')
    assert.equal(photos?.first_party, true)
    assert.equal(photos?.id_token_signed_response_alg, 'EdDSA')
  })

  test('rotate-secret prints a new secret; remove unregisters; unknown ids are ERR_CLIENT_NOT_FOUND (exit 1)', () => {
    const rotated = cli('clients', ['rotate-secret', notesId, '--json'])
    assert.equal(rotated.status, 0, rotated.stderr)
    const { client_secret: next } = JSON.parse(rotated.stdout) as { client_secret: string }
    assert.notEqual(next, notesSecret)
    assert.match(next, /^[A-Za-z0-9_-]{43}$/)
    const photos = listed().find((c) => c.client_name === 'Photos')!
    const noSecret = cli('clients', ['rotate-secret', String(photos.client_id)])
    assert.equal(noSecret.status, 2)
    assert.equal(stderrCode(noSecret.stderr), 'ERR_CLIENT_INVALID')
    const removed = cli('clients', ['remove', notesId])
    assert.equal(removed.status, 0, removed.stderr)
    assert.equal(
      listed().some((c) => c.client_id === notesId),
      false,
    )
    for (const verb of ['remove', 'rotate-secret']) {
      const unknown = cli('clients', [verb, notesId])
      assert.equal(unknown.status, 1, verb)
      assert.equal(stderrCode(unknown.stderr), 'ERR_CLIENT_NOT_FOUND', verb)
    }
  })

  test('refused registrations exit 2 with ERR_CLIENT_INVALID naming the field', () => {
    const cases: [string[], RegExp, Record<string, string>][] = [
      [['--redirect-uri', 'https://a.example/cb#frag'], /redirect_uris: .*fragment/, {}],
      [['--redirect-uri', 'not a uri'], /redirect_uris: .*not an absolute URI/, {}],
      [['--redirect-uri', 'http://app.example.com/cb'], /redirect_uris: .*must use https/, PRODUCTION],
      [['--type', 'public', '--redirect-uri', 'javascript:alert(1)'], /redirect_uris/, {}],
      [['--redirect-uri', 'https://a.example/cb', '--scope', 'openid "x'], /scope/, {}],
    ]
    for (const [flags, message, env] of cases) {
      const result = cli('clients', ['add', 'Bad', ...flags], env)
      assert.equal(result.status, 2, `${flags.join(' ')}: ${result.stderr}`)
      assert.equal(stderrCode(result.stderr), 'ERR_CLIENT_INVALID', flags.join(' '))
      assert.match(result.stderr, message)
    }
    // Plain http on a loopback host is fine even in production.
    const loopback = cli(
      'clients',
      ['add', 'Native', '--redirect-uri', 'http://127.0.0.1:7000/cb'],
      PRODUCTION,
    )
    assert.equal(loopback.status, 0, loopback.stderr)
  })

  test('usage errors exit 2: no name, a bad --type or --id-token-alg, an unknown flag', () => {
    for (const args of [
      ['add'],
      ['add', 'X', '--redirect-uri', 'https://a.example/cb', '--type', 'secret'],
      ['add', 'X', '--redirect-uri', 'https://a.example/cb', '--id-token-alg', 'none'],
      ['add', 'X', '--redirect-uri', 'https://a.example/cb', '--wildcard'],
      ['remove'],
    ]) {
      const result = cli('clients', args)
      assert.equal(result.status, 2, args.join(' '))
      assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE', args.join(' '))
    }
  })

  test('a client added while the server runs is accepted by its next /authorize request', async () => {
    const server = await serve(['--database', database], dir.path, {
      TESSERA_SECRET: PRODUCTION.TESSERA_SECRET,
      TESSERA_DEMO_CLIENTS: 'false',
    })
    try {
      const authorize = (clientId: string) =>
        fetch(
          `${server.url}/authorize?${new URLSearchParams({
            response_type: 'code',
            client_id: clientId,
            redirect_uri: 'https://live.example.com/callback',
            scope: 'openid',
            state: 's',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          })}`,
          { redirect: 'manual' },
        )
      const before = await authorize('not-yet-registered')
      assert.equal(before.status, 400, 'an unknown client gets the error page')
      assert.equal(before.headers.get('location'), null, 'and is never redirected')
      const added = cli('clients', [
        'add',
        'Live',
        '--redirect-uri',
        'https://live.example.com/callback',
        '--json',
      ])
      assert.equal(added.status, 0, added.stderr)
      const { client_id } = JSON.parse(added.stdout) as { client_id: string }
      const after = await authorize(client_id)
      // The sign-in page for it, or (if anything else were wrong) an error sent to its own redirect URI.
      assert.ok(
        after.status === 200 ||
          (after.headers.get('location') ?? '').startsWith('https://live.example.com/callback'),
        `status ${after.status}`,
      )
    } finally {
      await server.stop()
    }
  })

  test('clients --help lists its commands', () => {
    const result = tessera(['clients', '--help'])
    assert.equal(result.status, 0, result.stderr)
    for (const verb of ['add', 'list', 'remove', 'rotate-secret'])
      assert.match(result.stdout, new RegExp(`clients ${verb}`))
  })
})

describe('tessera users: profile', () => {
  const users = (args: string[], input = '') => cli('users', args, {}, input)

  test('add takes --name and --email; update changes and clears them; bad values exit 2', () => {
    const added = users(
      ['add', 'alice', '--name', 'Alice Liddell', '--email', 'alice@example.com', '--json'],
      `${PASSWORD}\n`,
    )
    assert.equal(added.status, 0, added.stderr)
    assert.deepEqual(
      (({ name, email, emailVerified }) => ({ name, email, emailVerified }))(JSON.parse(added.stdout)),
      { name: 'Alice Liddell', email: 'alice@example.com', emailVerified: false },
    )
    const verified = users(['update', 'alice', '--email-verified', '--json'])
    assert.equal(verified.status, 0, verified.stderr)
    assert.equal(JSON.parse(verified.stdout).emailVerified, true)
    const changed = users(['update', 'alice', '--email', 'alice@example.org', '--name', '', '--json'])
    assert.equal(changed.status, 0, changed.stderr)
    const after = JSON.parse(changed.stdout)
    assert.equal(after.email, 'alice@example.org')
    assert.equal(after.emailVerified, false, 'a new address is not the verified one')
    assert.equal(after.name, null)

    const bad = users(['update', 'alice', '--email', 'not-an-address'])
    assert.equal(bad.status, 2)
    assert.equal(stderrCode(bad.stderr), 'ERR_REQUEST_INVALID')
    const badAdd = users(['add', 'bob', '--email', 'nope'], `${PASSWORD}\n`)
    assert.equal(badAdd.status, 2)
    const listedUsers = JSON.parse(users(['list', '--json']).stdout) as { username: string }[]
    assert.equal(
      listedUsers.some((u) => u.username === 'bob'),
      false,
      'a refused profile leaves no half-made account',
    )
    assert.equal(users(['update', 'alice']).status, 2, 'nothing to change')
    const unknown = users(['update', 'nobody', '--name', 'X'])
    assert.equal(unknown.status, 1)
    assert.equal(stderrCode(unknown.stderr), 'ERR_USER_NOT_FOUND')
  })
})
