/**
 * @module PostgreSQL and Redis for tests: whether they answer, a fresh schema per test run (created by
 * the store on first open, dropped afterwards) so parallel test files never share rows, and the loud
 * skip — or, with TESSERA_REQUIRE_SERVICES=1 (CI), the failure — when a service is not running.
 */
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { Redis } from 'ioredis'
import pg from 'pg'

export const PG_BASE = process.env.TESSERA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = process.env.TESSERA_TEST_REDIS ?? 'redis://127.0.0.1:6379'
const required = process.env.TESSERA_REQUIRE_SERVICES === '1'

async function postgresUp(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `PostgreSQL is not reachable at ${PG_BASE} (${(error as Error).message}): start it (pg_ctlcluster 15 main start) or set TESSERA_TEST_POSTGRES`
  } finally {
    await client.end().catch(() => {})
  }
}

async function redisUp(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  } catch (error) {
    return `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}): start it (redis-server) or set TESSERA_TEST_REDIS`
  } finally {
    redis.disconnect()
  }
}

/**
 * Why tests needing these services must skip (undefined: all up). With TESSERA_REQUIRE_SERVICES=1 a
 * missing service throws instead, so CI fails rather than silently skipping.
 */
export async function servicesMissing(need: { redis?: boolean } = {}): Promise<string | undefined> {
  const reasons = [await postgresUp(), need.redis ? await redisUp() : undefined].filter(Boolean)
  if (reasons.length === 0) return undefined
  const reason = reasons.join('; ')
  if (required) throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${reason}`)
  process.stderr.write(`\n!!! SKIPPING PostgreSQL/Redis tests: ${reason} !!!\n\n`)
  return reason
}

/** Registers one visibly skipped test naming the missing service. */
export function skipLoudly(what: string, reason: string): void {
  test(`${what} [SKIPPED: ${reason}]`, { skip: reason }, () => {})
}

/** Drops a test schema and the Redis keys namespaced by it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end().catch(() => {})
  }
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    const keys = await redis.keys(`tessera:${schema}:*`)
    if (keys.length) await redis.del(...keys)
  } catch {
    // Redis not used or not running: nothing to clean.
  } finally {
    redis.disconnect()
  }
}

/** A postgres:// URL on a schema of its own, and how to drop that schema (and its Redis keys). */
export function freshDatabase(label = 'test'): { url: string; schema: string; drop(): Promise<void> } {
  const schema = `tessera_${label}_${randomBytes(6).toString('hex')}`
  return { url: schemaUrl(schema), schema, drop: () => dropSchema(schema) }
}

export function schemaUrl(schema: string): string {
  return `${PG_BASE}${PG_BASE.includes('?') ? '&' : '?'}schema=${schema}`
}
