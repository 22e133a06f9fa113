/**
 * @module One library's side of a bench run, in its own process: `tokens` (make one token per row),
 * `check` (accept everyone's tokens, refuse the forged ones) or `serve` (measure operations with mitata
 * when the orchestrator asks, over IPC). Reads a JSON request file; `tokens` and `check` print one JSON
 * line on stdout; progress goes to stderr.
 *
 * Usage: node --expose-gc --import tsx bench/child.ts <library-id> <mode> <fixtures.json> [request.json]
 */
import { on } from 'node:events'
import { readFileSync } from 'node:fs'
import { measure } from 'mitata'
import type { Library, LibraryOps } from './cases/types.js'
import { CLAIMS, JWE_CASES, JWE_PLAINTEXT, JWS_ALGS, type JwsAlg, readFixtures } from './fixtures.js'
import { LIBRARIES } from './libraries.js'

export interface TokenSet {
  jws: Partial<Record<JwsAlg, string>>
  jwe: Record<string, string>
  /** A DPoP proof for DPOP_REQUEST (bench/cases/dpop-request.ts), from libraries with a DPoP row. */
  dpop?: string
  /** raw only: tokens every verifier must refuse, by alg and by what is wrong with them. */
  negatives?: Partial<Record<JwsAlg, Record<string, string>>>
}

export interface CheckRequest {
  tokens: Record<string, TokenSet>
  negatives: Partial<Record<JwsAlg, Record<string, string>>>
}

export interface CheckOutcome {
  producer: string
  row: string
  ok: boolean
  detail?: string
}

export interface TimeRequest {
  reference: TokenSet
  minCpuMs: number
  /** `wall` (default) times with performance.now; `cpu` with this process's CPU time (a shared machine). */
  clock?: 'wall' | 'cpu' | undefined
  /** Only the operations matching this regular expression. */
  filter?: string | undefined
}

export interface Timing {
  op: string
  opsPerSec: number
  samples: number
}

const [id, mode, fixturesPath, requestPath] = process.argv.slice(2)
const entry = LIBRARIES.find((library) => library.id === id)
if (!entry || !mode || !fixturesPath) {
  console.error('usage: child.ts <library-id> <tokens|check|serve> <fixtures.json> [request.json]')
  process.exit(2)
}
const fixtures = readFixtures(fixturesPath)
const { library } = (await import(entry.module)) as { library: Library }
const ops: LibraryOps = await library.setup(fixtures)
const request = requestPath ? JSON.parse(readFileSync(requestPath, 'utf8')) : undefined

const message = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)
const samePlaintext = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1') === JWE_PLAINTEXT

async function makeTokens(): Promise<TokenSet> {
  const out: TokenSet = { jws: {}, jwe: {} }
  for (const alg of JWS_ALGS) {
    const sign = ops.sign?.(alg)
    if (sign) out.jws[alg] = await sign()
  }
  for (const jwe of JWE_CASES) {
    const encrypt = ops.encrypt?.(jwe)
    if (encrypt) out.jwe[jwe.name] = await encrypt()
  }
  const dpopCreate = ops.dpopCreate?.()
  if (dpopCreate) out.dpop = await dpopCreate()
  if (ops.forge) {
    const now = Math.floor(Date.now() / 1000)
    const good = {
      ...CLAIMS,
      iat: now,
      exp: now + 3600,
      iss: 'https://issuer.bench.example',
      aud: 'bench-api',
    }
    out.negatives = {}
    for (const alg of JWS_ALGS) {
      const valid = ops.forge(alg, good)
      const [h, p, s] = valid.split('.')
      const otherPayload = Buffer.from(JSON.stringify({ ...good, sub: 'someone-else' })).toString('base64url')
      out.negatives[alg] = {
        expired: ops.forge(alg, { ...good, iat: now - 7200, exp: now - 3600 }),
        'wrong iss': ops.forge(alg, { ...good, iss: 'https://evil.example' }),
        'wrong aud': ops.forge(alg, { ...good, aud: 'another-api' }),
        'payload swapped': `${h}.${otherPayload}.${s}`,
        'no aud': ops.forge(alg, { ...good, aud: undefined }),
      }
      void p
    }
  }
  return out
}

async function check(req: CheckRequest): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = []
  for (const alg of JWS_ALGS) {
    const verify = ops.verify?.(alg)
    if (!verify) continue
    for (const [producer, set] of Object.entries(req.tokens)) {
      const token = set.jws[alg]
      if (token === undefined) continue
      try {
        const payload = (await verify(token)) as { sub?: unknown }
        const ok = payload?.sub === CLAIMS.sub
        outcomes.push({
          producer,
          row: `${alg} verify`,
          ok,
          ...(ok ? {} : { detail: 'wrong claims returned' }),
        })
      } catch (error) {
        outcomes.push({ producer, row: `${alg} verify`, ok: false, detail: message(error) })
      }
    }
    for (const [what, token] of Object.entries(req.negatives[alg] ?? {})) {
      try {
        await verify(token)
        outcomes.push({ producer: 'forged', row: `${alg} refuses ${what}`, ok: false, detail: 'accepted' })
      } catch {
        outcomes.push({ producer: 'forged', row: `${alg} refuses ${what}`, ok: true })
      }
    }
  }
  const dpopVerify = ops.dpopVerify?.()
  if (dpopVerify) {
    for (const [producer, set] of Object.entries(req.tokens)) {
      if (set.dpop === undefined) continue
      try {
        await dpopVerify(set.dpop)
        outcomes.push({ producer, row: 'DPoP proof verify', ok: true })
      } catch (error) {
        outcomes.push({ producer, row: 'DPoP proof verify', ok: false, detail: message(error) })
      }
      // The same proof with its claims swapped for another URL's keeps its signature, which no longer fits.
      const [h, , s] = set.dpop.split('.')
      const claims = JSON.parse(Buffer.from(set.dpop.split('.')[1]!, 'base64url').toString('utf8'))
      const swapped = Buffer.from(JSON.stringify({ ...claims, htu: `${claims.htu}/other` })).toString(
        'base64url',
      )
      try {
        await dpopVerify(`${h}.${swapped}.${s}`)
        outcomes.push({ producer, row: 'DPoP refuses changed claims', ok: false, detail: 'accepted' })
      } catch {
        outcomes.push({ producer, row: 'DPoP refuses changed claims', ok: true })
      }
    }
  }
  for (const jwe of JWE_CASES) {
    const decrypt = ops.decrypt?.(jwe)
    if (!decrypt) continue
    for (const [producer, set] of Object.entries(req.tokens)) {
      const token = set.jwe[jwe.name]
      if (token === undefined) continue
      try {
        const ok = samePlaintext(await decrypt(token))
        outcomes.push({
          producer,
          row: `${jwe.name} decrypt`,
          ok,
          ...(ok ? {} : { detail: 'wrong plaintext' }),
        })
      } catch (error) {
        outcomes.push({ producer, row: `${jwe.name} decrypt`, ok: false, detail: message(error) })
      }
    }
  }
  return outcomes
}

/** Nanoseconds of CPU used by this process (all its threads: the libuv pool's work counts too). */
function cpuNow(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) * 1000
}

const WARMUP_MS = 60

function buildJobs(req: TimeRequest): Map<string, () => unknown> {
  const jobs = new Map<string, () => unknown>()
  for (const alg of JWS_ALGS) {
    const sign = ops.sign?.(alg)
    if (sign) jobs.set(`${alg} sign`, sign)
    const token = req.reference.jws[alg]!
    const verify = ops.verify?.(alg)
    if (verify) jobs.set(`${alg} verify`, () => verify(token))
    const cached = ops.verifyCached?.(alg)
    if (cached) jobs.set(`${alg} verify cached`, () => cached(token))
  }
  const decode = ops.decode?.()
  if (decode) {
    const token = req.reference.jws.HS256!
    jobs.set('decode', () => decode(token))
  }
  for (const jwe of JWE_CASES) {
    const encrypt = ops.encrypt?.(jwe)
    if (encrypt) jobs.set(`${jwe.name} encrypt`, encrypt)
    const token = req.reference.jwe[jwe.name]
    const decrypt = token === undefined ? undefined : ops.decrypt?.(jwe)
    if (decrypt) jobs.set(`${jwe.name} decrypt`, () => decrypt(token!))
  }
  const dpopCreate = ops.dpopCreate?.()
  if (dpopCreate) jobs.set('DPoP proof create', dpopCreate)
  const dpopVerify = req.reference.dpop === undefined ? undefined : ops.dpopVerify?.()
  if (dpopVerify) jobs.set('DPoP proof verify', () => dpopVerify(req.reference.dpop!))
  const filter = req.filter ? new RegExp(req.filter) : undefined
  for (const op of jobs.keys()) if (filter && !filter.test(op)) jobs.delete(op)
  return jobs
}

/**
 * Serves timing requests over the IPC channel until told to stop: the orchestrator keeps one such process
 * per library alive and asks each in turn for the same row, so a row's cells are measured minutes apart at
 * most, not a whole library run apart (this machine is shared; load comes and goes).
 */
async function serve(req: TimeRequest): Promise<undefined> {
  const jobs = buildJobs(req)
  // Warm every job before the first timed round: V8 compiles hot code on background threads, and with
  // --clock cpu that compile time would be charged to whichever row happens to run first.
  for (const fn of jobs.values()) {
    const until = performance.now() + WARMUP_MS
    while (performance.now() < until) await fn()
  }
  const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()))
  await send({ type: 'ready', ops: [...jobs.keys()] })
  for await (const [message] of on(process, 'message') as AsyncIterable<[{ type: string; op?: string }]>) {
    if (message.type !== 'measure') break
    const fn = jobs.get(message.op!)!
    globalThis.gc?.()
    const stats = await measure(fn, {
      min_cpu_time: req.minCpuMs * 1e6,
      ...(req.clock === 'cpu' ? { now: cpuNow } : {}),
    })
    const timing: Timing = { op: message.op!, opsPerSec: 1e9 / stats.avg, samples: stats.ticks }
    process.stderr.write(
      `  ${library.name.padEnd(13)} ${timing.op.padEnd(32)} ${Math.round(timing.opsPerSec).toLocaleString('en-US').padStart(11)} ops/s\n`,
    )
    await send({ type: 'timing', timing })
  }
  process.disconnect()
  return undefined
}

const result =
  mode === 'tokens' ? await makeTokens() : mode === 'check' ? await check(request) : await serve(request)
if (result !== undefined) process.stdout.write(`${JSON.stringify(result)}\n`)
