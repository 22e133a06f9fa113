/**
 * @module Every route fuzzed over real HTTP: a running server (loopback, port 0, SQLite in a temp dir)
 * gets generated methods, paths from its own route table (and mangled ones), query strings, headers
 * (credentials, proxy and encoding headers, a foreign Host, invented ones), content types (`charset=utf-16`, forms, text, none, junk) and bodies (JSON junk, deep
 * nesting, binary, near and over the body limit). Whatever arrives: never a 5xx, never a hang (each
 * request has a deadline), never a crash (the server still answers afterwards and logged no error), and
 * every 4xx is the OAuth-style JSON body with a `code`. The run is bounded (FUZZ_RUNS, default 400) and
 * replayable (fast-check prints the seed; FUZZ_SEED=… replays it).
 */
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { routeTable } from '../src/http/route-table.js'
import {
  bearer,
  INTROSPECTION,
  register,
  startTestServer,
  type TestServer,
  type Tokens,
} from './helpers/test-server.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 400)
const DEADLINE_MS = 8000
const PASSWORD = 'correct horse battery staple'

let t: TestServer
let paths: string[]
let routes: { method: string; url: string }[]
let tokens: Tokens
let sessionCookie: string
before(async () => {
  // Throttles out of the way: thousands of failures from one address are the point here.
  t = await startTestServer({ ipMaxFailures: 1_000_000, accountFreeFailures: 1_000_000 })
  routes = [...routeTable(t.server.app)]
  paths = [...new Set(routes.map((route) => route.url))].sort()
  tokens = await register(t, 'fuzzer')
  const login = await t.post('/session/login', { username: 'fuzzer', password: PASSWORD })
  sessionCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
})
after(async () => {
  await t.cleanup()
})

interface Sent {
  method: string
  path: string
  headers: Record<string, string>
  body: Buffer | undefined
  chunked: boolean
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** One request on a fresh connection, with a deadline: a hang fails the property instead of the suite. */
function send(port: number, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...sent.headers }
    if (sent.body !== undefined && !sent.chunked) headers['content-length'] = String(sent.body.length)
    const req = httpRequest(
      { host: '127.0.0.1', port, method: sent.method, path: sent.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        )
        res.on('error', reject)
      },
    )
    req.setTimeout(DEADLINE_MS, () => {
      req.destroy(new Error(`no answer within ${DEADLINE_MS} ms`))
    })
    req.on('error', reject)
    if (sent.body !== undefined) req.write(sent.body)
    req.end()
  })
}

const knownPath = () => fc.constantFrom(...paths)

/** A route's path, mangled now and then: case, slashes, escapes (good and bad), dot segments, suffixes. */
const path = () =>
  fc.oneof(
    { weight: 6, arbitrary: knownPath() },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          knownPath(),
          fc.constantFrom(
            (p: string) => `${p}/`,
            (p: string) => `/${p}`,
            (p: string) => p.toUpperCase(),
            (p: string) => `${p}/x`,
            (p: string) => p.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
            (p: string) => `${p}%zz`,
            (p: string) => `${p}%00`,
            (p: string) => `/..${p}`,
            (p: string) => `${p};jsessionid=1`,
            (p: string) => `${p}/${'a'.repeat(3000)}`,
          ),
        )
        .map(([p, mangle]) => mangle(p)),
    },
    { weight: 1, arbitrary: fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)) },
  )

const query = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 24 })), {
          maxLength: 4,
        })
        .map(
          (pairs) =>
            `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '?&&=', '?a=1&a=2', '?access_token=abc', '?%zz', '?a[b][c]=1'),
    },
  )

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=utf-16',
  'application/json; charset="utf-16le"',
  'application/json; charset=latin1',
  'application/json; charset=',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/vnd.api+json',
  'application/jsonx',
  'garbage',
  ';;;',
  '',
]

const contentType = () =>
  fc.oneof(
    // Half the time a type some route reads, so bodies get past the parser to the schema and the handler.
    { weight: 9, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') },
    { weight: 8, arbitrary: fc.constantFrom<string | undefined>(undefined, ...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)) },
  )

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** Headers that change how a server reads a request: proxies, encodings, preflights, a foreign Host. */
const EXTRA_HEADERS: [string, string][] = [
  ['expect', '100-continue'],
  ['content-encoding', 'gzip'],
  ['transfer-encoding', 'gzip, chunked'],
  ['x-forwarded-for', '203.0.113.7, 10.0.0.1'],
  ['x-forwarded-host', 'evil.example'],
  ['x-forwarded-proto', 'https'],
  ['forwarded', 'for=203.0.113.7;proto=https'],
  ['host', 'evil.example'],
  ['access-control-request-method', 'POST'],
  ['access-control-request-headers', 'authorization, content-type'],
  ['if-none-match', '*'],
  ['range', 'bytes=0-1'],
  ['accept-encoding', 'gzip, br'],
  ['x-http-method-override', 'DELETE'],
]

/** Credentials that work, credentials that do not, and noise. */
const authorization = () =>
  fc.constantFrom<() => string | undefined>(
    () => undefined,
    () => bearer(tokens.access_token).authorization,
    () => `Bearer ${tokens.access_token}x`,
    () => 'Bearer',
    () => 'Bearer a.b.c',
    () => basic(INTROSPECTION.id, INTROSPECTION.secret),
    () => basic('nobody', 'wrong'),
    () => 'Basic !!!',
    () => 'Token abc',
  )

const cookie = () =>
  fc.constantFrom<() => string | undefined>(
    () => undefined,
    () => sessionCookie,
    () => 'tessera-session=not-a-session',
    () => '__Secure-tessera-refresh=junk',
    () => `tessera-refresh=${tokens.refresh_token}`,
    () => '=; ;;=;',
  )

const headers = () =>
  fc
    .record({
      type: contentType(),
      auth: authorization(),
      cookie: cookie(),
      origin: fc.constantFrom(undefined, 'null', 'https://evil.example', 'http://127.0.0.1'),
      site: fc.constantFrom(undefined, 'same-origin', 'cross-site', 'none'),
      csrf: fc.constantFrom(undefined, 'x', ''),
      accept: fc.constantFrom(undefined, '*/*', 'text/html', 'application/json'),
      extra: fc.subarray(EXTRA_HEADERS, { maxLength: 3 }),
      invented: fc.dictionary(
        fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
        fc.string({ maxLength: 60 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
        { maxKeys: 2 },
      ),
    })
    .map((h) => {
      const out: Record<string, string> = { ...h.invented }
      for (const [name, value] of h.extra) out[name] = value
      if (h.type !== undefined) out['content-type'] = h.type
      const auth = h.auth()
      if (auth !== undefined) out.authorization = auth
      const c = h.cookie()
      if (c !== undefined) out.cookie = c
      if (h.origin !== undefined) out.origin = h.origin
      if (h.site !== undefined) out['sec-fetch-site'] = h.site
      if (h.csrf !== undefined) out['x-csrf-token'] = h.csrf
      if (h.accept !== undefined) out.accept = h.accept
      return out
    })

/** A body shaped like a real one, with values drawn from junk: reaches the handlers, not just the schema. */
const shaped = () =>
  fc
    .record(
      {
        username: fc.oneof(fc.constant('fuzzer'), fc.string({ maxLength: 20 }), fc.integer()),
        password: fc.oneof(fc.constant(PASSWORD), fc.string({ maxLength: 20 })),
        refresh_token: fc.oneof(
          fc.constant(0).map(() => tokens.refresh_token),
          fc.string({ maxLength: 40 }),
        ),
        client_id: fc.constantFrom('tessera-web', 'tessera-cli', 'evil', ''),
        refresh_token_delivery: fc.constantFrom('body', 'cookie', 'fax'),
        token: fc.oneof(
          fc.constant(0).map(() => tokens.access_token),
          fc.string({ maxLength: 40 }),
        ),
      },
      { requiredKeys: [] },
    )
    .map((fields) => fields as Record<string, unknown>)

const body = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant<Buffer | undefined>(undefined) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    {
      weight: 4,
      arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    },
    { weight: 4, arbitrary: shaped().map((v) => Buffer.from(JSON.stringify(v))) },
    {
      weight: 2,
      arbitrary: shaped().map((v) =>
        Buffer.from(new URLSearchParams(Object.entries(v).map(([k, x]) => [k, String(x)])).toString()),
      ),
    },
    { weight: 1, arbitrary: shaped().map((v) => Buffer.from(`\ufeff${JSON.stringify(v)}`, 'utf16le')) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 100, max: 7000 }).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 16_000, max: 20_000 })
        .map((n) => Buffer.from(`{"username":"${'x'.repeat(n)}"}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"a":', '{"__proto__":{"x":1}}', 'null', '"x"', '1e999')
        .map((s) => Buffer.from(s)),
    },
  )

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'QUERY',
  'PROPFIND',
  'BREW',
]

const requests = () =>
  fc
    .record({
      // Half the time a route exactly as registered (its method and path), so requests reach handlers.
      target: fc.oneof(
        {
          weight: 1,
          arbitrary: fc.constantFrom(...routes).map((route) => ({ method: route.method, path: route.url })),
        },
        { weight: 1, arbitrary: fc.record({ method: fc.constantFrom(...METHODS), path: path() }) },
      ),
      query: query(),
      headers: headers(),
      body: body(),
      // Mostly with a Content-Length, now and then chunked (no length: the limit applies while reading).
      chunked: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    })
    .map(
      ({ target, ...r }): Sent => ({
        method: target.method,
        path: target.path + r.query,
        headers: r.headers,
        // A GET or HEAD with a body is legal HTTP, and sent now and then.
        body: r.body,
        chunked: r.chunked,
        // A counterexample prints short: a 20 KB body would bury the report.
        [fc.toStringMethod]() {
          const shown =
            r.body === undefined ? 'none' : JSON.stringify(r.body.subarray(0, 80).toString('latin1'))
          return `${target.method} ${JSON.stringify((target.path + r.query).slice(0, 120))} headers=${JSON.stringify(r.headers)} body(${r.body?.length ?? 0}${r.chunked ? ', chunked' : ''})=${shown}`
        },
      }),
    )

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path.split('?')[0]!)
  } catch {
    return path
  }
}

/** What every answer must be, whatever was sent. */
function check(sent: Sent, answer: Answer): void {
  const label = `${sent.method} ${sent.path.slice(0, 80)} → ${answer.status}`
  assert.ok(answer.status < 500, `${label}: a 5xx`)
  if (sent.method === 'HEAD') return
  // The OpenID Connect front channel answers browsers: redirects, and server-rendered pages whose
  // refusals name their code (never a redirect to an unproven client).
  if (answer.status >= 300 && answer.status < 400) {
    assert.ok(answer.headers.location, `${label}: a redirect without Location`)
    return
  }
  const type = String(answer.headers['content-type'] ?? '')
  if (/^text\/(html|css)/.test(type)) {
    // The router decodes percent-escapes (`/%6cogout` is `/logout`), so the check reads the decoded path.
    assert.ok(
      /^\/(authorize|logout)/.test(decodedPath(sent.path)),
      `${label}: ${type} outside the sign-in pages`,
    )
    if (answer.status >= 400) assert.match(answer.body.toString('utf8'), /ERR_[A-Z_]+/, `${label}: no code`)
    return
  }
  if (answer.status < 400) {
    // A success is JSON that parses, or empty where that is the contract (204, RFC 7009's 200).
    if (answer.body.length === 0) assert.ok([200, 204].includes(answer.status), `${label}: empty`)
    else JSON.parse(answer.body.toString('utf8'))
    return
  }
  assert.match(String(answer.headers['content-type'] ?? ''), /^application\/json/, `${label}: not JSON`)
  const parsed = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>
  assert.equal(typeof parsed.error, 'string', `${label}: no error`)
  assert.equal(typeof parsed.error_description, 'string', `${label}: no error_description`)
  assert.match(String(parsed.code), /^ERR_[A-Z_]+$/, `${label}: no code`)
}

test(`every route, ${RUNS} generated requests: no 5xx, no hang, no crash, every 4xx a JSON error with a code`, async (context) => {
  assert.ok(paths.length >= 14, `route table: ${paths.join(' ')}`)
  const port = Number(new URL(t.url).port)
  let statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(requests(), async (sent) => {
      const answer = await send(port, sent)
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
      check(sent, answer)
    }),
    {
      numRuns: RUNS,
      includeErrorInReport: true,
      ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}),
    },
  )
  // The server survived: it still answers, and nothing was logged as an error.
  assert.equal((await t.get('/.well-known/jwks.json')).status, 200)
  const errors = t.logs.filter((line) => line.startsWith('{"level":50') || line.startsWith('{"level":60'))
  assert.deepEqual(errors, [])
  // The run reached past the front door: successes and refusals of several kinds.
  statuses = new Map([...statuses].sort(([a], [b]) => a - b))
  const seen = [...statuses.keys()]
  context.diagnostic(`answers by status: ${[...statuses].map(([status, n]) => `${status}×${n}`).join(' ')}`)
  for (const status of [200, 400, 401, 404, 405, 415])
    assert.ok(seen.includes(status), `no ${status} in ${seen}`)
})
