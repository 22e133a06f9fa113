/**
 * @module The session-mode suite on PostgreSQL, and on PostgreSQL + Redis (sessions then live in Redis):
 * a fresh schema per server. Skipped loudly without the services; fails with TESSERA_REQUIRE_SERVICES=1.
 */
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { sessionSuite } from './session-suite.js'

const missing = await servicesMissing({ redis: true })
if (missing) skipLoudly('session mode on PostgreSQL and Redis', missing)
else {
  for (const redis of [false, true]) {
    sessionSuite({
      name: redis ? 'postgres + redis' : 'postgres',
      async open() {
        const db = freshDatabase('sessions')
        return {
          overrides: { database: db.url, ...(redis ? { redis: REDIS_URL } : {}) },
          cleanup: () => db.drop(),
        }
      },
    })
  }
}
