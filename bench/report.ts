/**
 * @module Turns the medians of a bench run into the table (ops/s, then ratios) and the target checklist
 * of issue 5, as Markdown for the terminal and docs/benchmarks.md, or as one JSON document.
 */
import { JWE_CASES, JWS_ALGS } from './fixtures.js'
import { LIBRARIES, type LibraryId } from './libraries.js'

/** ops/s by library id, then by operation name. */
export type Results = Partial<Record<LibraryId, Record<string, number>>>

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
  return order.filter((op) => LIBRARIES.some((lib) => value(results, lib.id, op) !== undefined))
}

export function evaluateTargets(results: Results): Target[] {
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
      add(
        `${op}: sync ≥ ${floor.toFixed(1)}× raw`,
        ratio(value(results, 'ours-sync', op), value(results, 'raw', op)),
        floor,
      )
    }
  }
  for (const alg of JWS_ALGS) {
    for (const kind of ['sign', 'verify']) {
      const op = `${alg} ${kind}`
      add(
        `${op}: sync ahead of fast-jwt (no cache)`,
        ratio(value(results, 'ours-sync', op), value(results, 'fast-jwt', op)),
        1,
        true,
      )
    }
  }
  for (const alg of JWS_ALGS) {
    for (const kind of ['sign', 'verify']) {
      const op = `${alg} ${kind}`
      add(
        `${op}: async ≥ 0.8× sync`,
        ratio(value(results, 'ours-async', op), value(results, 'ours-sync', op)),
        0.8,
      )
    }
  }
  for (const op of ['HS256 sign', 'HS256 verify']) {
    add(`${op}: async ≥ 5× jose`, ratio(value(results, 'ours-async', op), value(results, 'jose', op)), 5)
  }
  for (const op of ['RS256 verify', 'PS256 verify']) {
    add(`${op}: async ≥ 3× jose`, ratio(value(results, 'ours-async', op), value(results, 'jose', op)), 3)
  }
  for (const kind of ['encrypt', 'decrypt']) {
    const op = `dir+A256GCM ${kind}`
    add(`${op}: ≥ 0.6× raw AES-GCM`, ratio(value(results, 'ours-async', op), value(results, 'raw', op)), 0.6)
    add(`${op}: ≥ 5× jose`, ratio(value(results, 'ours-async', op), value(results, 'jose', op)), 5)
  }
  for (const name of ['ECDH-ES+A256KW+A256GCM', 'RSA-OAEP-256+A256GCM']) {
    for (const kind of ['encrypt', 'decrypt']) {
      const op = `${name} ${kind}`
      add(
        `${op}: ahead of jose`,
        ratio(value(results, 'ours-async', op), value(results, 'jose', op)),
        1,
        true,
      )
    }
  }
  for (const alg of JWS_ALGS) {
    const op = `${alg} verify cached`
    add(`${op}: ≥ fast-jwt cached`, ratio(value(results, 'ours-sync', op), value(results, 'fast-jwt', op)), 1)
  }
  return targets
}

const formatOps = (n: number | undefined) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'))
const formatRatio = (r: number | undefined) => (r === undefined ? '—' : `${r.toFixed(2)}×`)

/** Ours for a row: the sync factory where there is one, else the async API. */
function ours(results: Results, op: string): number | undefined {
  return value(results, 'ours-sync', op) ?? value(results, 'ours-async', op)
}

export function toMarkdown(results: Results, meta: Meta): string {
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
  lines.push('', '### ratios (ours = sync factory where it exists, else async API)', '')
  const columns: [string, (op: string) => number | undefined][] = [
    ['ours ÷ raw', (op) => ratio(ours(results, op), value(results, 'raw', op))],
    ['ours ÷ jose', (op) => ratio(ours(results, op), value(results, 'jose', op))],
    ['ours ÷ fast-jwt', (op) => ratio(ours(results, op), value(results, 'fast-jwt', op))],
    ['ours ÷ jsonwebtoken', (op) => ratio(ours(results, op), value(results, 'jsonwebtoken', op))],
    ['async ÷ sync', (op) => ratio(value(results, 'ours-async', op), value(results, 'ours-sync', op))],
    ['async ÷ jose', (op) => ratio(value(results, 'ours-async', op), value(results, 'jose', op))],
  ]
  lines.push(`| operation | ${columns.map(([name]) => name).join(' | ')} |`)
  lines.push(`|---|${columns.map(() => '--:').join('|')}|`)
  for (const op of ops) lines.push(`| ${op} | ${columns.map(([, f]) => formatRatio(f(op))).join(' | ')} |`)
  const targets = evaluateTargets(results)
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

export function toJson(results: Results, meta: Meta): string {
  return JSON.stringify({ meta, results, targets: evaluateTargets(results) }, null, 2)
}
