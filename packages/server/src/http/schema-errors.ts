/**
 * @module Turns a JSON-schema failure (ajv, through Fastify) into a RequestInvalid whose message names the
 * field by its path (`body/username`) and says what it must be, for every kind of schema error. Field
 * names a client invented are quoted and cut short; values are never repeated (a password may be one).
 */
import { RequestInvalid } from '../errors.js'

/** The parts of an ajv error we read (ajv runs with `verbose`, so the failing schema and value are here). */
export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
  schema?: unknown
  parentSchema?: { properties?: Record<string, unknown>; required?: readonly string[] }
  data?: unknown
}

/** Attacker-chosen names are shown, JSON-quoted, up to this length (enough for any honest field name). */
const NAME_LIMIT = 40

const quote = (name: string) =>
  JSON.stringify(name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT)}…` : name)

/** `body`, `body/username`, `querystring/x`: ajv's JSON pointer under the part of the request it checked. */
const pathOf = (dataVar: string, pointer: string, child?: string) => {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (child !== undefined) segments.push(child)
  return [dataVar, ...segments.map((s) => (/^[A-Za-z0-9_.-]{1,40}$/.test(s) ? s : quote(s)))].join('/')
}

const typeName = (value: unknown): string => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value === undefined) return 'nothing'
  const t = typeof value
  return t === 'object' ? 'an object' : `a ${t}`
}

const wanted = (type: unknown): string => {
  const names = (Array.isArray(type) ? type : [type]).map((t) =>
    t === 'object'
      ? 'an object'
      : t === 'array'
        ? 'an array'
        : t === 'integer'
          ? 'an integer'
          : t === 'null'
            ? 'null'
            : `a ${t}`,
  )
  return names.join(' or ')
}

const fieldList = (error: SchemaError): string[] => Object.keys(error.parentSchema?.properties ?? {})

/** One sentence for one schema error. */
export function describeSchemaError(error: SchemaError, dataVar: string): string {
  const path = pathOf(dataVar, error.instancePath)
  const p = error.params
  switch (error.keyword) {
    case 'additionalProperties': {
      const fields = fieldList(error)
      const field = pathOf(dataVar, error.instancePath, String(p.additionalProperty))
      return fields.length === 0
        ? `${field} is not accepted: this endpoint takes no fields in ${path}`
        : `${field} is not a field this endpoint takes (it takes: ${fields.join(', ')})`
    }
    case 'required':
      return `${pathOf(dataVar, error.instancePath, String(p.missingProperty))} is required`
    case 'type': {
      // A form parameter sent twice arrives as an array (RFC 6749 §3.2: each at most once).
      const twice =
        Array.isArray(error.data) && dataVar === 'body' && error.instancePath.split('/').length === 2
      return `${path} must be ${wanted(p.type)}, not ${typeName(error.data)}${twice ? ' (is it sent twice?)' : ''}`
    }
    case 'minLength':
      return `${path} must be at least ${p.limit} character${p.limit === 1 ? '' : 's'} long`
    case 'maxLength':
      return `${path} must be at most ${p.limit} characters long`
    case 'enum':
      return `${path} must be one of: ${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `${path} must be ${JSON.stringify(p.allowedValue)}`
    case 'pattern':
      return `${path} has characters or a shape this endpoint does not accept`
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${path} must be ${p.comparison} ${p.limit}`
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return `${path} ${error.message ?? 'has the wrong number of entries'}`
    default:
      return `${path} ${error.message ?? 'is not valid'}`
  }
}

/** Fastify's `schemaErrorFormatter`: the first error (ajv stops at one) as a typed, named refusal. */
export function schemaErrorFormatter(errors: readonly SchemaError[], dataVar: string): RequestInvalid {
  const first = errors[0]
  return new RequestInvalid(first ? describeSchemaError(first, dataVar) : `${dataVar} is not valid`)
}
