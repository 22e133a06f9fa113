/**
 * @module Turns the medians of a bench run into the table (ops/s, then ratios) and the target checklist
 * of issue 5, as Markdown for the terminal and docs/benchmarks.md, or as one JSON document.
 */
import { JWE_CASES, JWS_ALGS } from './fixtures.js'
import { LIBRARIES, type LibraryId } from './libraries.js'

/** ops/s by library id, then by operation name (the median over rounds). */
export type Results = Partial<Record<LibraryId, Record<string, number>>>
/** The same, per round: index r is round r, so two libraries' values at one index were measured together. */
export type Rounds = Partial<Record<LibraryId, Record<string, number[]>>>

type Ratio = (a: LibraryId, b: LibraryId, op: string) => number | undefined

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * a ÷ b for one operation: the median of the per-round ratios when both have every round (the two cells
 * of a round ran seconds apart, so load that comes and goes cancels out), else the ratio of the medians.
 */
function pairedRatio(results: Results, rounds: Rounds | undefined): Ratio {
  return (a, b, op) => {
    const x = rounds?.[a]?.[op]
    const y = rounds?.[b]?.[op]
    if (x && y && x.length === y.length && x.length > 0) return median(x.map((v, i) => v / y[i]!))
    return ratio(value(results, a, op), value(results, b, op))
  }
}

export interface Meta {
  date: string
  command: string
  mode: 'quick' | 'full'
  rounds: number
  minCpuMs: number
  clock: 'wall' | 'cpu'
  machine: { cpus: number; cpuModel: string; node: string; platform: string }
  /** 1-minute load average when the run started and ended: above the core count, other work shared the CPU. */
  load: { start: number; end: number }
  versions: Record<string, string>
  /** Why some rows are absent (e.g. JWE not exported yet). */
  notes: string[]
}

export interface Target {
  target: string
  ratio: number | undefined
  required: number
  /** undefined when a side of the ratio was not measured. */
  met: boolean | undefined
}

const value = (results: Results, lib: LibraryId, op: string) => results[lib]?.[op]

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a / b
}

/** The operations in table order: every one some library measured. */
export function operations(results: Results): string[] {
  const order: string[] = []
  for (const alg of JWS_ALGS) order.push(`${alg} sign`, `${alg} verify`, `${alg} verify cached`)
  order.push('decode')
  for (const jwe of JWE_CASES) order.push(`${jwe.name} encrypt`, `${jwe.name} decrypt`)
  order.push('DPoP proof create', 'DPoP proof verify')
  return order.filter((op) => LIBRARIES.some((lib) => value(results, lib.id, op) !== undefined))
}

export function evaluateTargets(results: Results, rounds?: Rounds): Target[] {
  const r = pairedRatio(results, rounds)
  const targets: Target[] = []
  const add = (target: string, r: number | undefined, required: number, strict = false) =>
    targets.push({
      target,
      ratio: r,
      required,
      met: r === undefined ? undefined : strict ? r > required : r >= required,
    })
  for (const alg of JWS_ALGS) {
    for (const kind of ['sign', 'verify']) {
      const op = `${alg} ${kind}`
      const floor = alg === 'HS256' && kind === 'sign' ? 1.0 : 0.9
      add(`${op}: sync ≥ ${floor.toFixed(1)}× raw`, r('ours-sync', 'raw', op), floor)
    }
  }
  for (const alg of JWS_ALGS) {
    for (const kind of ['sign', 'verify']) {
      const op = `${alg} ${kind}`
      add(`${op}: sync ahead of fast-jwt (no cache)`, r('ours-sync', 'fast-jwt', op), 1, true)
    }
  }
  for (const alg of JWS_ALGS) {
    for (const kind of ['sign', 'verify']) {
      const op = `${alg} ${kind}`
      add(`${op}: async ≥ 0.8× sync`, r('ours-async', 'ours-sync', op), 0.8)
    }
  }
  for (const op of ['HS256 sign', 'HS256 verify']) {
    add(`${op}: async ≥ 5× jose`, r('ours-async', 'jose', op), 5)
  }
  for (const op of ['RS256 verify', 'PS256 verify']) {
    add(`${op}: async ≥ 3× jose`, r('ours-async', 'jose', op), 3)
  }
  for (const kind of ['encrypt', 'decrypt']) {
    const op = `dir+A256GCM ${kind}`
    add(`${op}: ≥ 0.6× raw AES-GCM`, r('ours-async', 'raw', op), 0.6)
    add(`${op}: ≥ 5× jose`, r('ours-async', 'jose', op), 5)
  }
  for (const name of ['ECDH-ES+A256KW+A256GCM', 'RSA-OAEP-256+A256GCM']) {
    for (const kind of ['encrypt', 'decrypt']) {
      const op = `${name} ${kind}`
      add(`${op}: ahead of jose`, r('ours-async', 'jose', op), 1, true)
    }
  }
  for (const alg of JWS_ALGS) {
    const op = `${alg} verify cached`
    add(`${op}: ≥ fast-jwt cached`, r('ours-sync', 'fast-jwt', op), 1)
  }
  return targets
}

const formatOps = (n: number | undefined) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'))
const formatRatio = (r: number | undefined) => (r === undefined ? '—' : `${r.toFixed(2)}×`)

/** Ours for a row: the sync factory where there is one, else the async API. */
function ours(results: Results, op: string): LibraryId {
  return value(results, 'ours-sync', op) !== undefined ? 'ours-sync' : 'ours-async'
}

export function toMarkdown(results: Results, meta: Meta, rounds?: Rounds): string {
  const r = pairedRatio(results, rounds)
  const ops = operations(results)
  const lines: string[] = []
  const m = meta.machine
  lines.push(
    `Run ${meta.date} (${meta.mode}: ${meta.rounds} round(s), ≥ ${meta.minCpuMs} ms per cell, ${meta.clock} clock, ` +
      `median of rounds) on ${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.platform}; load average ` +
      `${meta.load.start.toFixed(1)} at start, ${meta.load.end.toFixed(1)} at end. Peers: ${Object.entries(
        meta.versions,
      )
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}.`,
  )
  for (const note of meta.notes) lines.push('', `Note: ${note}`)
  lines.push('', '### ops/s (higher is better)', '')
  lines.push(`| operation | ${LIBRARIES.map((lib) => lib.id).join(' | ')} |`)
  lines.push(`|---|${LIBRARIES.map(() => '--:').join('|')}|`)
  for (const op of ops) {
    lines.push(`| ${op} | ${LIBRARIES.map((lib) => formatOps(value(results, lib.id, op))).join(' | ')} |`)
  }
  lines.push(
    '',
    '### ratios (ours = sync factory where it exists, else async API; median of the per-round ratios)',
    '',
  )
  const columns: [string, (op: string) => number | undefined][] = [
    ['ours ÷ raw', (op) => r(ours(results, op), 'raw', op)],
    ['ours ÷ jose', (op) => r(ours(results, op), 'jose', op)],
    ['ours ÷ fast-jwt', (op) => r(ours(results, op), 'fast-jwt', op)],
    ['ours ÷ jsonwebtoken', (op) => r(ours(results, op), 'jsonwebtoken', op)],
    ['async ÷ sync', (op) => r('ours-async', 'ours-sync', op)],
    ['async ÷ jose', (op) => r('ours-async', 'jose', op)],
  ]
  lines.push(`| operation | ${columns.map(([name]) => name).join(' | ')} |`)
  lines.push(`|---|${columns.map(() => '--:').join('|')}|`)
  for (const op of ops) lines.push(`| ${op} | ${columns.map(([, f]) => formatRatio(f(op))).join(' | ')} |`)
  const targets = evaluateTargets(results, rounds)
  const met = targets.filter((t) => t.met === true).length
  const missed = targets.filter((t) => t.met === false)
  const unmeasured = targets.filter((t) => t.met === undefined).length
  lines.push('', `### targets: ${met} met, ${missed.length} missed, ${unmeasured} not measured`, '')
  lines.push('| target | measured | status |', '|---|--:|---|')
  for (const t of targets) {
    const status =
      t.met === undefined
        ? 'not measured'
        : t.met
          ? 'met'
          : `**missed** by ${((1 - t.ratio! / t.required) * 100).toFixed(1)} %`
    lines.push(`| ${t.target} | ${formatRatio(t.ratio)} | ${status} |`)
  }
  return lines.join('\n')
}

export function toJson(results: Results, meta: Meta, rounds?: Rounds): string {
  return JSON.stringify({ meta, results, rounds, targets: evaluateTargets(results, rounds) }, null, 2)
}
