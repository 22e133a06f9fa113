/**
 * @module The memory check of issue 5: 1,000,000 verifications with one verifier, heap measured after a
 * full GC every 100,000, once without and once with the token cache. Tokens rotate through 10,000
 * distinct ones (each with its own jti), so anything kept per token would show as growth.
 *
 * Run: `npm run bench:memory` (or `npm run bench -- --memory`); needs `node --expose-gc`.
 * Exits 1 when the heap is not flat: more than 1 MiB above the first warm checkpoint.
 */
import { randomBytes } from 'node:crypto'
import { createSigner, createVerifier, importSecret } from '../packages/jose/src/node.js'

const VERIFICATIONS = 1_000_000
const CHECKPOINT = 100_000
const DISTINCT_TOKENS = 10_000
const FLAT_LIMIT_BYTES = 1 << 20

const gc = globalThis.gc
if (!gc) {
  console.error('bench/memory.ts needs --expose-gc (run it with npm run bench:memory)')
  process.exit(2)
}

function settledHeap(): { heapUsed: number; external: number } {
  gc!()
  gc!()
  const usage = process.memoryUsage()
  return { heapUsed: usage.heapUsed, external: usage.external }
}

const key = await importSecret(randomBytes(32), 'HS256')
const sign = createSigner({
  key,
  alg: 'HS256',
  issuer: 'https://issuer.example',
  audience: 'api',
  expiresIn: '1h',
  jti: true,
})
const tokens = Array.from({ length: DISTINCT_TOKENS }, () => sign({ sub: 'user-1', scope: 'read write' }))

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`
let allFlat = true

for (const cache of [undefined, { max: 1000 }]) {
  const label = cache ? `createVerifier with cache { max: ${cache.max} }` : 'createVerifier without cache'
  const verify = createVerifier({
    key,
    algorithms: ['HS256'],
    issuer: 'https://issuer.example',
    audience: 'api',
    ...(cache ? { cache } : {}),
  })
  const before = settledHeap()
  const points: { done: number; heapUsed: number; external: number }[] = []
  const started = performance.now()
  for (let done = 0; done < VERIFICATIONS; ) {
    for (let i = 0; i < CHECKPOINT; i++, done++) {
      if (verify(tokens[done % DISTINCT_TOKENS]!).payload.sub !== 'user-1') throw new Error('wrong payload')
    }
    points.push({ done, ...settledHeap() })
  }
  const seconds = (performance.now() - started) / 1000
  // The first checkpoint includes one-off growth (JIT code, the cache filling up to max): measure from it.
  const base = points[0]!
  const last = points.at(-1)!
  const peak = Math.max(...points.map((p) => p.heapUsed))
  const growth = last.heapUsed - base.heapUsed
  const flat = growth <= FLAT_LIMIT_BYTES && peak - base.heapUsed <= 2 * FLAT_LIMIT_BYTES
  allFlat &&= flat
  console.log(`\n${label}: ${VERIFICATIONS.toLocaleString('en-US')} verifications in ${seconds.toFixed(1)} s`)
  console.log(`  heap before: ${mib(before.heapUsed)}`)
  console.log('  verifications | heapUsed after GC | external')
  for (const p of points)
    console.log(
      `  ${p.done.toLocaleString('en-US').padStart(13)} | ${mib(p.heapUsed).padStart(17)} | ${mib(p.external)}`,
    )
  console.log(
    `  → ${flat ? 'FLAT' : 'NOT FLAT'}: ${growth >= 0 ? '+' : ''}${mib(growth)} from the first checkpoint to the last, ` +
      `peak ${mib(peak - base.heapUsed)} above it (limit ${mib(FLAT_LIMIT_BYTES)})`,
  )
}
process.exit(allFlat ? 0 : 1)
