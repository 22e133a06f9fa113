/**
 * @module How long a JWK Set response says it may be reused (RFC 9111 §5.2.2.1 `max-age`, `no-cache`,
 * `no-store`; §5.1 `Age`). The result is only a proposal: the remote set clamps it to its own bounds.
 */

const DELTA_SECONDS = /^\d{1,10}$/

/**
 * Milliseconds the response may be reused from now, or undefined when it says nothing usable.
 * `no-store` / `no-cache` give 0 (the caller's lower bound then applies).
 */
export function cacheLifetime(cacheControl: string | null, age: string | null): number | undefined {
  if (!cacheControl) return undefined
  let maxAge: number | undefined
  for (const part of cacheControl.split(',')) {
    const [rawName, ...rest] = part.split('=')
    const name = rawName!.trim().toLowerCase()
    if (name === 'no-store' || name === 'no-cache') return 0
    if (name === 'max-age' && maxAge === undefined) {
      const value = rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1')
      // RFC 9111 §1.2.2: delta-seconds are digits only; anything else is ignored, not guessed at.
      if (DELTA_SECONDS.test(value)) maxAge = Number(value)
    }
  }
  if (maxAge === undefined) return undefined
  const ageSeconds = age !== null && DELTA_SECONDS.test(age.trim()) ? Number(age.trim()) : 0
  return Math.max(0, maxAge - ageSeconds) * 1000
}
