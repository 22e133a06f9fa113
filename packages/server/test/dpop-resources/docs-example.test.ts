/**
 * @module docs/dpop.md stays true: its client example runs against a real server (nonces on, so its retry
 * is exercised), with `@tessera/jose` from the library's source and the example's issuer replaced by the
 * server's address, and prints what its `console.log(…) // …` comments promise.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { examplesOf, promisedValues } from '../../../jose/test/support/doc-examples.js'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { PASSWORD } from './fixtures.js'

const page = readFileSync(new URL('../../../../docs/dpop.md', import.meta.url), 'utf8')
const joseEntry = new URL('../../../jose/src/node.ts', import.meta.url).href

let t: TestServer
before(async () => {
  t = await startTestServer({ dpopNonce: 'required' })
  await register(t, 'ada', PASSWORD)
})
after(() => t.cleanup())

test('the client example of docs/dpop.md runs and prints what it promises', async () => {
  const examples = examplesOf(page)
  assert.equal(examples.length, 1)
  const code = examples[0]!
  assert.match(code, /const issuer = 'https:\/\/auth\.example\.com'/)
  const file = join(t.dir, 'client-example.mts')
  writeFileSync(
    file,
    code.replaceAll("'@tessera/jose'", `'${joseEntry}'`).replace("'https://auth.example.com'", `'${t.url}'`),
  )
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const printed = stdout.split(/\s+/).filter(Boolean)
  assert.deepEqual(promisedValues(code), ['DPoP', '200', 'ada', '401'])
  for (const value of promisedValues(code)) assert.ok(printed.includes(value), `printed ${stdout}`)
})
