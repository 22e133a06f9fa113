/**
 * @module Reads a `node --cpu-prof` profile and prints where the time went: the functions with the most
 * self time, and the share of total time spent inside each (inclusive), so a missed target has a reason.
 *
 * Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
  children?: number[]
}

const [file, topArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] }
const top = Number(topArg ?? 25)
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const name = (node: Node) => {
  const url = node.callFrame.url.replace(/^.*\/(packages|node_modules|bench)\//, '$1/')
  return `${node.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${node.callFrame.lineNumber + 1}` : ''}`.trim()
}
const total = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0)
const self = new Map<string, number>()
const inclusive = new Map<string, number>()

function walk(node: Node, stack: Set<string>): number {
  let hits = node.hitCount
  const key = name(node)
  self.set(key, (self.get(key) ?? 0) + node.hitCount)
  const fresh = !stack.has(key)
  if (fresh) stack.add(key)
  for (const child of node.children ?? []) hits += walk(byId.get(child)!, stack)
  if (fresh) {
    stack.delete(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + hits)
  }
  return hits
}
walk(profile.nodes[0]!, new Set())

const pct = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)} %`
console.log(`${total} samples\n\nself time:`)
for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${pct(hits)}  ${key}`)
console.log('\ninclusive time:')
for (const [key, hits] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${pct(hits)}  ${key}`)
