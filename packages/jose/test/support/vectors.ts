/**
 * @module Test support: where the shared conformance vectors live, and typed-error assertions.
 *
 * The vectors are read in place from `shared/vectors/`, which sits beside the repository (`/work/shared` next
 * to `/work/main` here, `../shared` next to CI's clone). The path is computed from this file's URL so both work.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { JOSEError } from '../../src/node.ts'

/** `shared/vectors/` beside the repository root (this file is `<repo>/packages/jose/test/support/`). */
export const VECTORS_DIR = new URL('../../../../../shared/vectors/', import.meta.url)

// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON, each test reads the fields it needs
export function readVector(relativePath: string): any {
  const url = new URL(relativePath, VECTORS_DIR)
  let text: string
  try {
    text = readFileSync(url, 'utf8')
  } catch (error) {
    throw new Error(
      `conformance vector ${relativePath} not found at ${url.pathname}: the shared/ folder must sit beside the ` +
        'repository (../shared from its root), as the vectors README describes',
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
