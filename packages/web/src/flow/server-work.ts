/**
 * @module What `/me` says the server did, read from its `Server-Timing` header, so the flow page's
 * sentence is the server's own account: a revocation-set check with no store read, a session lookup
 * in the store, or (no header) nothing claimed beyond the signature and claims. Pure.
 */

/** The entry names of a Server-Timing header (`sig;desc="…";dur=1, total;dur=2` → sig, total). */
export function timingNames(header: string | undefined): string[] {
  if (!header) return []
  return header
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((entry) => entry.split(';')[0]!.trim())
    .filter(Boolean)
}

// The parts that read the store (see the server's http/server-timing.ts).
const STORE_PARTS = new Set(['sid', 'session', 'user', 'auth'])

export function meWording(
  header: string | undefined,
): 'flow.token.meOk' | 'flow.token.meOkLookup' | 'flow.token.meOkPlain' {
  const names = timingNames(header)
  if (names.some((name) => STORE_PARTS.has(name))) return 'flow.token.meOkLookup'
  if (names.includes('revocation')) return 'flow.token.meOk'
  return 'flow.token.meOkPlain'
}
