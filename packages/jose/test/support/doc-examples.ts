/**
 * @module Runs the ```js examples of a Markdown page against src/ (`@tessera/jose` mapped to node.ts,
 * `@tessera/jose/webcrypto` to webcrypto.ts) and checks the values their `console.log(…) // …` comments promise.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'

const nodeEntry = new URL('../../src/node.ts', import.meta.url).href
const webEntry = new URL('../../src/webcrypto.ts', import.meta.url).href

export function examplesOf(markdown: string): string[] {
  return [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!)
}

/** The literal values a `console.log(…) // 'a' 42 true` comment promises. */
export function promisedValues(code: string): string[] {
  const values: string[] = []
  for (const line of code.split('\n')) {
    const comment = /console\.log\(.*\)\s*\/\/\s*(.*)$/.exec(line)?.[1]
    if (!comment) continue
    for (const token of comment.matchAll(/'([^']*)'|\b(true|false|\d+)\b/g))
      values.push(token[1] ?? token[2]!)
  }
  return values
}

/** One test per example of the page at `pageUrl`. */
export function describeExamples(title: string, pageUrl: URL): void {
  const examples = examplesOf(readFileSync(pageUrl, 'utf8'))
  const dir = mkdtempSync(join(tmpdir(), 'doc-examples-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  describe(title, () => {
    test('the page has examples', () => assert.ok(examples.length > 0))
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
        const output = runExample(file)
        for (const value of promisedValues(code)) {
          assert.ok(output.includes(value), `printed ${JSON.stringify(output)}, expected ${value}`)
        }
      })
    })
  })
}

/**
 * Runs one example in its own Node process. Under heavy load a child has been seen to stall forever inside
 * tsx's loader thread before running a line of the example; a stall is bounded (the example itself takes
 * well under a second) and tried once more, so a tooling hang can neither wedge the suite nor pass silently:
 * a second stall fails the test.
 */
function runExample(file: string): string {
  const run = () =>
    execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 })
  try {
    return run()
  } catch (error) {
    if ((error as { code?: string }).code !== 'ETIMEDOUT') throw error
    return run()
  }
}
