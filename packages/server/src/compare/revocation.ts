/**
 * @module How long after a logout a credential is refused: the same request sent again and again (no
 * pause: loopback is quick, and a pause would add its own length to the figure) until it answers 401,
 * for at most 2 s.
 */
import { call } from './http.js'

const LIMIT_MS = 2000

export async function untilRefused(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; milliseconds: number }> {
  const t0 = performance.now()
  for (;;) {
    const result = await call(base, 'GET', path, { headers })
    const elapsed = performance.now() - t0
    if (result.status === 401 || elapsed > LIMIT_MS)
      return { status: result.status, milliseconds: Math.round(elapsed) }
  }
}
