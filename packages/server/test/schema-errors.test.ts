/**
 * @module Every kind of JSON-schema refusal becomes a sentence naming the field by its path, run through
 * the same ajv the app uses (Fastify's, with `verbose`), including kinds no route uses yet; invented field
 * names are quoted and cut short, and values are never repeated.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { RequestInvalid } from '../src/errors.js'
import { schemaErrorFormatter } from '../src/http/schema-errors.js'

/** Fastify's ajv with the app's options (src/app.ts), so the errors are the ones a request meets. */
const ajv = {
  customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, verbose: true },
}

const refusal = async (schema: object, data: unknown, dataVar: 'body' | 'querystring' = 'body') => {
  const url = '/case'
  const one = Fastify({ ajv, schemaErrorFormatter })
  one.setErrorHandler((error, _request, reply) => {
    assert.ok(error instanceof RequestInvalid, String(error))
    return reply.code(400).send({ message: error.message })
  })
  if (dataVar === 'body') one.post(url, { schema: { body: schema } }, async () => 'accepted')
  else one.get(url, { schema: { querystring: schema } }, async () => 'accepted')
  const response =
    dataVar === 'body'
      ? await one.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(data),
        })
      : await one.inject({ method: 'GET', url, query: data as Record<string, string> })
  await one.close()
  assert.equal(response.statusCode, 400, response.body)
  return (response.json() as { message: string }).message
}

const obj = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...extra,
})

test('one sentence per kind of refusal, each naming the path', async () => {
  const cases: [object, unknown, string][] = [
    [obj({ a: { type: 'string' } }), { b: 1 }, 'body/b is not a field this endpoint takes (it takes: a)'],
    [obj({}), { b: 1 }, 'body/b is not accepted: this endpoint takes no fields in body'],
    [obj({ a: {} }, { required: ['a'] }), {}, 'body/a is required'],
    [obj({ a: { type: 'string' } }), { a: 1 }, 'body/a must be a string, not a number'],
    [obj({ a: { type: 'integer' } }), { a: 'x' }, 'body/a must be an integer, not a string'],
    [obj({ a: { type: ['string', 'null'] } }), { a: true }, 'body/a must be a string or null, not a boolean'],
    [
      obj({ a: { type: 'string' } }),
      { a: ['x', 'y'] },
      'body/a must be a string, not an array (is it sent twice?)',
    ],
    [obj({ a: { type: 'string', minLength: 3 } }), { a: 'x' }, 'body/a must be at least 3 characters long'],
    [obj({ a: { type: 'string', minLength: 1 } }), { a: '' }, 'body/a must be at least 1 character long'],
    [obj({ a: { type: 'string', maxLength: 2 } }), { a: 'xyz' }, 'body/a must be at most 2 characters long'],
    [obj({ a: { enum: ['x', 'y'] } }), { a: 'z' }, 'body/a must be one of: "x", "y"'],
    [obj({ a: { const: 'x' } }), { a: 'z' }, 'body/a must be "x"'],
    [
      obj({ a: { type: 'string', pattern: '^[a-z]+$' } }),
      { a: 'SECRET-VALUE' },
      'body/a has characters or a shape this endpoint does not accept',
    ],
    [obj({ a: { type: 'number', minimum: 5 } }), { a: 1 }, 'body/a must be >= 5'],
    [obj({ a: { type: 'number', exclusiveMaximum: 5 } }), { a: 9 }, 'body/a must be < 5'],
    [obj({ a: { type: 'array', maxItems: 1 } }), { a: [1, 2] }, 'body/a must NOT have more than 1 items'],
    [obj({ a: obj({ b: { type: 'string' } }) }), { a: { b: 1 } }, 'body/a/b must be a string, not a number'],
    [{ type: 'object' }, [], 'body must be an object, not an array'],
    [{ type: 'object' }, null, 'body must be an object, not null'],
  ]
  for (const [schema, data, message] of cases) assert.equal(await refusal(schema, data), message)
})

test('other parts of the request are named as such', async () => {
  assert.equal(
    await refusal(obj({ page: { type: 'integer' } }), { page: 'x' }, 'querystring'),
    'querystring/page must be an integer, not a string',
  )
})

test('invented field names are quoted and cut short; slashes in them stay readable', async () => {
  const long = `${'k'.repeat(100)}`
  const message = await refusal(obj({ a: {} }), { [long]: 1 })
  assert.equal(message, `body/"${'k'.repeat(40)}…" is not a field this endpoint takes (it takes: a)`)
  assert.equal(
    await refusal(obj({ a: {} }), { 'x/y': 1 }),
    'body/"x/y" is not a field this endpoint takes (it takes: a)',
  )
  assert.equal(
    await refusal(obj({ a: {} }), { 'bad"\nname': 1 }),
    'body/"bad\\"\\nname" is not a field this endpoint takes (it takes: a)',
  )
})

test('values are never repeated in a message (a password may be one)', async () => {
  const secret = 'hunter2-hunter2'
  for (const schema of [
    obj({ p: { type: 'string', maxLength: 3 } }),
    obj({ p: { type: 'string', pattern: '^x$' } }),
    obj({ p: { enum: ['a'] } }),
    obj({ p: { type: 'number' } }),
  ]) {
    assert.equal((await refusal(schema, { p: secret })).includes(secret), false)
  }
})
