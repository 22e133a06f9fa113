/**
 * @module Test support: where the conformance vectors live, and typed-error assertions.
 *
 * The vectors are the repository's own copy in `packages/jose/test/vectors/` (upstream files byte for byte, with
 * their licences and provenance in its README), so the tests read nothing outside the repository.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { JOSEError } from '../../src/node.ts'

/** `packages/jose/test/vectors/` (this file is `packages/jose/test/support/vectors.ts`). */
export const VECTORS_DIR = new URL('../vectors/', import.meta.url)

// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON, each test reads the fields it needs
export function readVector(relativePath: string): any {
  const url = new URL(relativePath, VECTORS_DIR)
  let text: string
  try {
    text = readFileSync(url, 'utf8')
  } catch (error) {
    throw new Error(
      `conformance vector ${relativePath} not found at ${url.pathname}: copy it from upstream into ` +
        'packages/jose/test/vectors/ and list it in that folder’s README',
      { cause: error },
    )
  }
  return JSON.parse(text)
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

function checkError(error: unknown, code: string | RegExp): JOSEError {
  if (!(error instanceof JOSEError)) {
    assert.fail(`expected a JOSEError with code ${String(code)}, got ${String(error)}`)
  }
  if (typeof code === 'string') assert.equal(error.code, code, `wrong code (message: ${error.message})`)
  else assert.match(error.code, code, `wrong code (message: ${error.message})`)
  return error
}

/** Runs `f` (sync or async) and asserts it fails with a JOSEError whose `code` is `code`; returns the error. */
export async function expectCode(f: () => unknown, code: string | RegExp): Promise<JOSEError> {
  let result: unknown
  try {
    result = await f()
  } catch (error) {
    return checkError(error, code)
  }
  return assert.fail(`expected ${String(code)}, but it succeeded with ${typeof result}`)
}

/** Synchronous variant of expectCode for synchronous APIs (createVerifier's verifier, decodeJWT). */
export function expectCodeSync(f: () => unknown, code: string | RegExp): JOSEError {
  try {
    f()
  } catch (error) {
    return checkError(error, code)
  }
  return assert.fail(`expected ${String(code)}, but it succeeded`)
}
