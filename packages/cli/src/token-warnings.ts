/**
 * @module What a reviewer would flag in a token's header and claims: the same warnings the web
 * debugger gives, so the CLI and the page agree.
 */

const DAY_SECONDS = 86400
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[\d\s().-]{9,}$/

/** Warnings for a decoded JWT (header and, when readable, claims). */
export function tokenWarnings(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | undefined,
): string[] {
  const warnings: string[] = []
  if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    warnings.push('"alg": "none": the token is unsigned and anyone can forge it; never accept it')
  }
  if (!payload) return warnings
  if (payload.exp === undefined) warnings.push('no "exp": the token never expires')
  else if (typeof payload.exp === 'number' && typeof payload.iat === 'number') {
    if (payload.exp - payload.iat > DAY_SECONDS) {
      warnings.push('lifetime over a day: a stolen token stays useful that long; prefer minutes plus refresh')
    }
  }
  for (const [claim, value] of Object.entries(payload)) {
    if (typeof value !== 'string') continue
    if (EMAIL.test(value) || PHONE.test(value)) {
      warnings.push(
        `"${claim}" looks like personal data: anyone holding the token can read it (it is not encrypted)`,
      )
    }
  }
  return warnings
}
