/**
 * @module Every PostgreSQL (+ Redis) test of the server on the shared services, in one file so they run
 * one after another. In order: the Store conformance suite (PostgreSQL, PostgreSQL + Redis); the
 * token-mode HTTP suites, unchanged, on PostgreSQL + Redis (helpers/test-store.ts reads
 * TESSERA_TEST_STORE); then three instances behind one schema. (The PostgreSQL outage is
 * faults/postgres-outage.test.ts, on a private cluster.) Without the services: one loud skip, or a
 * failure when TESSERA_REQUIRE_SERVICES=1.
 */
import { servicesMissing, skipLoudly } from '../helpers/services.js'

const missing = await servicesMissing({ redis: true })
if (missing) {
  skipLoudly('Store conformance, HTTP suites and multi-instance tests on PostgreSQL + Redis', missing)
} else {
  const { postgresStoreSuite } = await import('../store/postgres-store.suite.js')
  postgresStoreSuite()

  process.env.TESSERA_TEST_STORE = 'postgres+redis'
  // Each registers its own tests, and its own server on a schema of its own, in this file.
  await import('../e2e/token-flow.test.js')
  await import('../e2e/concurrent-refresh.test.js')
  await import('../e2e/refresh-cookie.test.js')
  await import('../e2e/resource-server.test.js')
  await import('../e2e/http-errors.test.js')

  const { multiInstanceSuite } = await import('./multi-instance.suite.js')
  multiInstanceSuite()
}
