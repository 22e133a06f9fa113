/**
 * @module The library's documentation stays true: every example in README.md and docs/jwks.md runs and
 * prints what it promises, and every value export of the Node entry is documented somewhere.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as api from '../src/node.ts'
import { JOSEError } from '../src/node.ts'
import { describeExamples } from './support/doc-examples.ts'

const readme = new URL('../README.md', import.meta.url)
const pages = [
  readme,
  new URL('../docs/jwe.md', import.meta.url),
  new URL('../docs/jwks.md', import.meta.url),
  new URL('../docs/dpop.md', import.meta.url),
]

describeExamples('README.md examples', readme)
describeExamples('docs/jwks.md examples', new URL('../docs/jwks.md', import.meta.url))
describeExamples('docs/dpop.md examples', new URL('../docs/dpop.md', import.meta.url))

test('every value export of the Node entry is documented with an example or in the export list', () => {
  const text = pages.map((page) => readFileSync(page, 'utf8')).join('\n')
  const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
  for (const [name, value] of Object.entries(api)) {
    const isErrorClass =
      typeof value === 'function' && (value === JOSEError || value.prototype instanceof JOSEError)
    if (isErrorClass) {
      assert.ok(errorsDoc.includes(name), `docs/errors.md does not mention the error class ${name}`)
    } else {
      assert.ok(text.includes(`${name}(`) || text.includes(`\`${name}\``), `${name} is not documented`)
    }
  }
})
