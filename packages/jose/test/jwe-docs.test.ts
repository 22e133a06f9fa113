/**
 * @module docs/jwe.md stays true: every ```js example runs (against src/, with `@tessera/jose` mapped to
 * node.ts and `@tessera/jose/webcrypto` to webcrypto.ts), and the values its `console.log(…) // …`
 * comments promise appear in what it printed.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'

const docs = readFileSync(new URL('../docs/jwe.md', import.meta.url), 'utf8')
const examples = [...docs.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!)
const nodeEntry = new URL('../src/node.ts', import.meta.url).href
const webEntry = new URL('../src/webcrypto.ts', import.meta.url).href
const dir = mkdtempSync(join(tmpdir(), 'jwe-docs-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The literal values a `console.log(…) // 'a' 42 true` comment promises. */
function promised(code: string): string[] {
  const values: string[] = []
  for (const line of code.split('\n')) {
    const comment = /console\.log\(.*\)\s*\/\/\s*(.*)$/.exec(line)?.[1]
    if (!comment) continue
    for (const token of comment.matchAll(/'([^']*)'|\b(true|false|\d+)\b/g))
      values.push(token[1] ?? token[2]!)
  }
  return values
}

describe('docs/jwe.md examples', () => {
  test('there is an example for every JWE export', () => {
    for (const name of [
      'compactEncrypt',
      'compactDecrypt',
      'flattenedEncrypt',
      'flattenedDecrypt',
      'generalEncrypt',
      'generalDecrypt',
      'encryptJWT',
      'decryptJWT',
      'signAndEncryptJWT',
      'decryptAndVerifyJWT',
      'createEncrypter',
      'createDecrypter',
    ]) {
      assert.ok(
        examples.some((code) => code.includes(`${name}(`)),
        `no runnable example calls ${name}`,
      )
    }
  })
  examples.forEach((code, index) => {
    const first = code.split('\n').find((line) => /^const .*await .*\(/.test(line)) ?? code.split('\n')[0]!
    test(`example ${index + 1}: ${first.slice(0, 80)}`, () => {
      const file = join(dir, `example-${index + 1}.mts`)
      writeFileSync(
        file,
        code
          .replaceAll("'@tessera/jose/webcrypto'", `'${webEntry}'`)
          .replaceAll("'@tessera/jose'", `'${nodeEntry}'`),
      )
      const output = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' })
      for (const value of promised(code))
        assert.ok(output.includes(value), `printed ${JSON.stringify(output)}, expected ${value}`)
    })
  })
})
