/**
 * @module docs/jwe.md stays true: every ```js example runs (against src/, see support/doc-examples.ts) and
 * prints what its `console.log(…) // …` comments promise, and every JWE export has an example.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { describeExamples, examplesOf } from './support/doc-examples.ts'

const page = new URL('../docs/jwe.md', import.meta.url)

test('docs/jwe.md has an example for every JWE export', () => {
  const examples = examplesOf(readFileSync(page, 'utf8'))
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

describeExamples('docs/jwe.md examples', page)
