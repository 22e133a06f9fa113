/**
 * @module The PostgreSQL/Redis settings and failure mapping, without the services: which errors mean
 * "database unavailable" (503) or "retry the transaction", how `postgres://` URLs are read and masked,
 * and what the config refuses for a shared database, Redis and `--cluster`.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeConfig, loadConfig, parseServeArgs } from '../../src/index.js'
import { maskDatabaseUrl, parsePostgresUrl } from '../../src/store/postgres/connection-url.js'
import { isRetryable, mapPgError } from '../../src/store/postgres/pg-errors.js'

const SECRET = 'config-secret-0123456789-abcdefghijklm'

test('a stopped, restarting or unreachable PostgreSQL maps to ERR_STORE_UNAVAILABLE; other errors pass through', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
  ]
  for (const error of unavailable) {
    const mapped = mapPgError(error) as { code?: string; status?: number; message: string }
    assert.equal(mapped.code, 'ERR_STORE_UNAVAILABLE', error.message)
    assert.equal(mapped.status, 503)
    assert.match(mapped.message, /PostgreSQL database is unreachable.*retry shortly/)
  }
  const unique = Object.assign(new Error('duplicate key'), { code: '23505' })
  assert.equal(mapPgError(unique), unique)
})

test('serialization failures and deadlocks are retried; nothing else is', () => {
  assert.equal(isRetryable({ code: '40001' }), true)
  assert.equal(isRetryable({ code: '40P01' }), true)
  assert.equal(isRetryable({ code: '23505' }), false)
  assert.equal(isRetryable(new Error('Connection terminated unexpectedly')), false)
})

test('postgres:// URLs: schema and pool_max are read and removed; bad values name --database', () => {
  const parsed = parsePostgresUrl(
    'postgres://u:pw@db.internal:5432/tessera?schema=auth_1&pool_max=20&sslmode=require',
  )
  assert.equal(parsed.schema, 'auth_1')
  assert.equal(parsed.poolMax, 20)
  assert.equal(parsed.connectionString, 'postgres://u:pw@db.internal:5432/tessera?sslmode=require')
  assert.equal(parsePostgresUrl('postgres://db/t').schema, 'public')
  for (const bad of [
    'postgres://db/t?schema=Robert%27;DROP',
    'postgres://db/t?pool_max=0',
    'postgres://db/t?pool_max=x',
  ]) {
    assert.throws(() => parsePostgresUrl(bad), { code: 'ERR_CONFIG_INVALID', setting: '--database' })
  }
})

test('database and Redis URLs are printed with the password masked', () => {
  assert.equal(maskDatabaseUrl('postgres://u:hunter2@db/t'), 'postgres://u:********@db/t')
  const described = describeConfig(
    loadConfig({
      database: 'postgres://u:hunter2@db/t',
      redis: 'redis://:s3cret@cache:6379',
      secret: SECRET,
    }),
  )
  assert.doesNotMatch(JSON.stringify(described), /hunter2|s3cret/)
})

test('a shared PostgreSQL database needs TESSERA_SECRET, even in development', () => {
  assert.throws(() => loadConfig({ database: 'postgres://db/t' }), {
    code: 'ERR_CONFIG_INVALID',
    setting: 'TESSERA_SECRET',
    message: /same on every instance/,
  })
  assert.equal(loadConfig({ database: 'postgres://db/t', secret: SECRET }).database, 'postgres://db/t')
})

test('--redis must be a redis:// URL; --cluster is bounded and refuses an in-memory database', () => {
  assert.throws(() => parseServeArgs(['--redis', 'localhost:6379'], {}), {
    code: 'ERR_CONFIG_INVALID',
    setting: '--redis',
  })
  assert.equal(parseServeArgs(['--redis', 'redis://127.0.0.1:6379'], {}).redis, 'redis://127.0.0.1:6379')
  assert.equal(parseServeArgs([], { TESSERA_CLUSTER: '4' }).cluster, 4)
  assert.throws(() => parseServeArgs(['--cluster', '65'], {}), {
    code: 'ERR_CONFIG_INVALID',
    setting: '--cluster',
  })
  assert.throws(() => parseServeArgs(['--cluster', '2', '--database', 'sqlite::memory:'], {}), {
    code: 'ERR_CONFIG_INVALID',
    setting: '--cluster',
  })
})
