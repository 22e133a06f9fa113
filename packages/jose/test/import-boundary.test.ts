/**
 * @module The runtime boundary: only `src/backend/node/` and `src/node.ts` may use Node.js modules or
 * `Buffer`, and nothing the WebCrypto entry point loads may reach `backend/node/`. A browser bundle that
 * pulled in `node:crypto` would fail at load time, long after our tests passed on Node.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const NODE_ONLY = [/^backend\/node\//, /^node\.ts$/]
// util/base64url.ts reads Buffer once, through globalThis, where it exists (Node, Bun): its native codec is faster.
const ALLOWED_BUFFER_USE = {
  file: 'util/base64url.ts',
  line: 'const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer',
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) sourceFiles(path, out)
    else if (name.endsWith('.ts')) out.push(relative(SRC, path).split('\\').join('/'))
  }
  return out.sort()
}

/** Code without comments (so a comment that mentions Buffer or node:crypto is not a use of them). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

/** Every module specifier: static import/export … from, side-effect imports, import(), import type(), require(). */
function specifiers(code: string): string[] {
  const found: string[] = []
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!)
  return found
}

const BUILTINS = new Set(builtinModules)
const isNodeModule = (specifier: string): boolean =>
  specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)

/** What a file does that only Node allows; empty when it is portable. */
function nodeOnlyUses(file: string, code: string): string[] {
  const problems: string[] = []
  let portable = stripComments(code)
  for (const specifier of specifiers(portable)) {
    if (isNodeModule(specifier)) problems.push(`imports "${specifier}"`)
  }
  if (file === ALLOWED_BUFFER_USE.file) portable = portable.replace(ALLOWED_BUFFER_USE.line, '')
  const buffers = portable.match(/\bBuffer\b/g)
  if (buffers) problems.push(`references Buffer ${buffers.length} time(s)`)
  return problems
}

describe('import boundary', () => {
  test('the checker itself finds what it must (and not what it must not)', () => {
    const flagged = [
      "import { createHash } from 'node:crypto'",
      "import type { KeyObject } from 'node:crypto'",
      "import crypto from 'crypto'",
      "export { inflateSync } from 'zlib'",
      "import 'node:fs'",
      "const fs = await import('node:fs')",
      'type K = import("node:crypto").KeyObject',
      "const { Buffer } = require('buffer')",
      'const bytes = Buffer.from(text)',
      'const NodeBuffer = globalThis.Buffer',
    ]
    for (const line of flagged) assert.notDeepEqual(nodeOnlyUses('x.ts', line), [], line)
    const clean = [
      "import { encodeBase64url } from '../util/base64url.js'",
      "// falls back to Buffer where it exists, cf. 'node:crypto'",
      '/* Buffer */ const bytes = new Uint8Array(4)',
      "const label = 'Buffered text'",
    ]
    for (const line of clean) assert.deepEqual(nodeOnlyUses('x.ts', line), [], line)
    assert.deepEqual(nodeOnlyUses(ALLOWED_BUFFER_USE.file, ALLOWED_BUFFER_USE.line), [])
    assert.notDeepEqual(
      nodeOnlyUses(ALLOWED_BUFFER_USE.file, `${ALLOWED_BUFFER_USE.line}\nBuffer.from('')`),
      [],
    )
  })

  test('only backend/node/ and node.ts use Node.js modules or Buffer', () => {
    const files = sourceFiles(SRC)
    assert.ok(
      files.includes('backend/webcrypto/index.ts') && files.includes('webcrypto.ts'),
      'scanned the right tree',
    )
    const problems: string[] = []
    for (const file of files) {
      if (NODE_ONLY.some((pattern) => pattern.test(file))) continue
      for (const problem of nodeOnlyUses(file, readFileSync(join(SRC, file), 'utf8')))
        problems.push(`${file} ${problem}`)
    }
    assert.deepEqual(problems, [])
  })

  test('nothing the webcrypto entry point loads reaches backend/node/', () => {
    const seen = new Set<string>()
    const pending = ['webcrypto.ts']
    while (pending.length > 0) {
      const file = pending.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      for (const specifier of specifiers(stripComments(readFileSync(join(SRC, file), 'utf8')))) {
        if (!specifier.startsWith('.')) continue
        const target = relative(SRC, resolve(SRC, dirname(file), specifier.replace(/\.js$/, '.ts')))
          .split('\\')
          .join('/')
        pending.push(target)
      }
    }
    assert.ok(seen.has('backend/webcrypto/index.ts') && seen.has('api.ts'), 'followed the imports')
    assert.deepEqual(
      [...seen].filter((file) => NODE_ONLY.some((pattern) => pattern.test(file))),
      [],
    )
  })
})
