/**
 * @module The per-request costs of authentication a comparison reports: the server's own (the parts and
 * the `total` of the `Server-Timing` header of `/me` and `/session/me`, from the request with the median
 * total of many sequential ones) and a local signature check with the server's published key, as a resource server does it.
 */
import { createVerifier, importJWK, type JWK } from '@tessera/jose'
import { CompareFailed } from '../errors.js'
import { call } from './http.js'
import type { WorkPart } from './report.js'

/** Sequential requests for the Server-Timing medians: a stable middle, and quick enough for the demo run. */
export const TIMING_SAMPLES = 100

/** Parts whose work reads the store (session lookup, session-id lookup, user lookup). */
const STORE_PARTS = new Set(['session', 'sid', 'user', 'auth'])

interface Entry {
  name: string
  description: string
  ms: number
}

/** The entries of a Server-Timing header (W3C Server Timing: `name;desc="…";dur=ms, …`) that carry a dur. */
export function parseServerTiming(header: string): Entry[] {
  const entries: Entry[] = []
  // Commas inside a quoted desc do not end an entry.
  for (const item of header.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const [name, ...params] = item.split(';').map((s) => s.trim())
    if (!name) continue
    let description = name
    let ms = Number.NaN
    for (const param of params) {
      const eq = param.indexOf('=')
      const key = param.slice(0, eq).trim()
      const value = param.slice(eq + 1).trim()
      if (key === 'desc') description = value.replace(/^"|"$/g, '')
      if (key === 'dur') ms = Number(value)
    }
    if (Number.isFinite(ms)) entries.push({ name, description, ms })
  }
  return entries
}

export interface ServerWork {
  total: number | null
  parts: WorkPart[]
  storeLookup: boolean | null
}

/**
 * The request with the median Server-Timing `total` (or lone entry) over sequential requests, and its
 * parts: one request's own figures, so the parts are within the total as the server measured them
 * (medians taken part by part could add up to more).
 */
export async function serverWork(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<ServerWork> {
  const samples: { total: number; entries: Entry[] }[] = []
  for (let i = 0; i < TIMING_SAMPLES; i++) {
    const result = await call(base, 'GET', path, { headers })
    if (result.status !== 200) throw new CompareFailed(`GET ${path} answered HTTP ${result.status}`)
    const entries = parseServerTiming(result.headers.get('server-timing') ?? '')
    const total = entries.find((e) => e.name === 'total') ?? (entries.length === 1 ? entries[0] : undefined)
    if (!total) return { total: null, parts: [], storeLookup: null }
    samples.push({ total: total.ms, entries: entries.filter((e) => e !== total) })
  }
  samples.sort((a, b) => a.total - b.total)
  const middle = samples[Math.floor(samples.length / 2)]!
  // Parts rounded down and the total up, to whole microseconds (and a total never 0 for work done).
  const parts = middle.entries.map((e) => ({
    name: e.name,
    description: e.description,
    microseconds: Math.floor(e.ms * 1000 + 1e-6),
  }))
  return {
    total: Math.max(1, Math.ceil(middle.total * 1000 - 1e-6)),
    parts,
    storeLookup: parts.some((p) => STORE_PARTS.has(p.name)),
  }
}

/** Microseconds per verification of `token` with the server's published key, in this process. */
export async function signatureCheck(token: string, jwks: { keys: JWK[] }) {
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    alg: string
    kid?: string
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0]
  if (!jwk) throw new CompareFailed('the server’s JWKS is empty; cannot check its tokens')
  const verify = createVerifier({ key: await importJWK(jwk, header.alg), algorithms: [header.alg] })
  // Warm up (JIT, header cache) so the figure is the steady state a long-running verifier sees; then
  // enough rounds to sit far above timer resolution (ES256 ≈ 100-300 µs here, so well under 1 s).
  for (let i = 0; i < 200; i++) verify(token)
  const rounds = 1000
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) verify(token)
  const micros = Math.max(1, Math.round(((performance.now() - t0) * 1000) / rounds))
  return { micros, alg: header.alg, verify }
}
