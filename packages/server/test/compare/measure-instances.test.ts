/**
 * @module `measureComparison` over three instances of one deployment on PostgreSQL + Redis (as
 * `tessera compare --url A --url B --url C` runs it): load goes to all three, and a logout on the first
 * is refused by the last — for tokens through the revocation feed, for sessions through the shared store.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { measureComparison } from '../../src/compare/measure.js'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

const missing = await servicesMissing({ redis: true })
if (missing) {
  skipLoudly('three instances on PostgreSQL + Redis: compare over all three', missing)
} else {
  const db = freshDatabase('compare')
  const instances: TestServer[] = []
  before(async () => {
    // One deployment: one database, one Redis, one public issuer name, as behind a load balancer.
    const shared = { database: db.url, redis: REDIS_URL, issuer: 'http://auth.test.invalid' }
    for (let i = 0; i < 3; i++) instances.push(await startTestServer(shared))
  })
  after(async () => {
    for (const instance of instances) await instance.cleanup()
    await db.drop()
  })

  test('three instances: load on all, the logout made on the first refused by the last', async () => {
    const [first, ...others] = instances.map((i) => i.url) as [string, ...string[]]
    const report = await measureComparison({ url: first, also: others, durationMs: 300, connections: 3 })
    assert.deepEqual(report.urls, [first, ...others])
    assert.equal(report.instances, 3)
    assert.equal(report.token.errors, 0)
    assert.ok(report.token.requests > 0)
    assert.match(report.token.revocation, /another instance’s \/me answered 401 after \d+ ms/)
    assert.equal(report.session.available, true)
    if (report.session.available) {
      assert.equal(report.session.errors, 0)
      assert.match(report.session.revocation, /another instance’s \/session\/me answered 401 after \d+ ms/)
    }
    assert.match(report.notes[0]!, /3 instances/)
  })
}
