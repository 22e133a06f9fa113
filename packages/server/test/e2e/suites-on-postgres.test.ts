/**
 * @module The token-mode HTTP suites again, unchanged, on PostgreSQL + Redis instead of SQLite: one
 * suite, parameterised by store (helpers/test-store.ts reads TESSERA_TEST_STORE). Each suite's server
 * gets a schema of its own, dropped at the end.
 */
import { servicesMissing, skipLoudly } from '../helpers/services.js'

const missing = await servicesMissing({ redis: true })
if (missing) {
  skipLoudly('token-mode HTTP suites on PostgreSQL + Redis', missing)
} else {
  process.env.TESSERA_TEST_STORE = 'postgres+redis'
  // Imported after the variable is set: each registers its tests (and its own server) in this file.
  await import('./token-flow.test.js')
  await import('./concurrent-refresh.test.js')
  await import('./refresh-cookie.test.js')
  await import('./resource-server.test.js')
  await import('./http-errors.test.js')
}
