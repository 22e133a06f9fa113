/**
 * @module JSON for JOSE headers and claims: objects only, and (for headers) unique member names.
 *
 * `JSON.parse` silently keeps the last of two equal names, so `{"alg":"HS256","alg":"none"}` would mean
 * different things to different parsers. RFC 7515 §4 says header names MUST be unique: we check the raw
 * text's top-level names (after unescaping, so `"\u0061lg"` counts as `alg`) and refuse `__proto__`.
 */

export type JsonObject = Record<string, unknown>

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses a JSON object; returns a reason string instead of throwing when the text is not one. */
export function parseJsonObject(text: string): JsonObject | string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'is not valid JSON'
  }
  if (!isJsonObject(value)) return 'is not a JSON object'
  return value
}

/**
 * Parses a header: a JSON object whose top-level member names are unique and never `__proto__`.
 * Returns a reason string when it is not one.
 */
export function parseHeaderObject(text: string): JsonObject | string {
  const value = parseJsonObject(text)
  if (typeof value === 'string') return value
  if (Object.hasOwn(value, '__proto__')) return 'has a "__proto__" member'
  const duplicate = findDuplicateTopLevelName(text)
  if (duplicate !== undefined) return `has the member name "${duplicate.slice(0, 32)}" more than once`
  return value
}

/** Scans already-valid JSON text for a repeated top-level member name. */
function findDuplicateTopLevelName(text: string): string | undefined {
  const seen = new Set<string>()
  let depth = 0
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      const start = i + 1
      let escaped = false
      i++
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c /* \ */) {
          escaped = true
          i++
        } else if (d === 0x22) break
      }
      if (depth === 1 && expectKey) {
        const raw = text.slice(start, i)
        const name = escaped ? (JSON.parse(`"${raw}"`) as string) : raw
        if (seen.has(name)) return name
        seen.add(name)
        expectKey = false
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++
      if (depth === 1 && c === 0x7b) expectKey = true
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--
    } else if (c === 0x2c /* , */ && depth === 1) {
      expectKey = true
    }
  }
  return undefined
}
