/**
 * @module The password policy, after NIST SP 800-63B §3.1.1.2 (rev 4): length, not composition rules;
 * at least 64 characters allowed; every printable and Unicode character accepted (NFKC-normalised, counted
 * in code points); passwords from a breach corpus refused (a bundled top-10,000 list, see
 * assets/common-passwords.txt), and so are passwords that contain the username or the service name.
 */
import { readFileSync } from 'node:fs'
import { PasswordRejected } from '../errors.js'

/** Longest password accepted: NIST asks for at least 64; the cap bounds hashing work per request. */
export const MAX_PASSWORD_LENGTH = 128

let common: Set<string> | undefined

/** The bundled list (same relative path from src/ and dist/). Loaded once, on first use. */
export function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(new URL('../../assets/common-passwords.txt', import.meta.url), 'utf8')
    common = new Set(text.split('\n').filter((line) => line && !line.startsWith('#')))
  }
  return common
}

export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

export interface PasswordPolicy {
  minLength: number
}

/** Throws PasswordRejected (with `reason`) when the password may not be set. */
export function checkPassword(password: string, username: string, policy: PasswordPolicy): void {
  const normalized = normalizePassword(password)
  const length = [...normalized].length
  if (length < policy.minLength) {
    throw new PasswordRejected(
      'too_short',
      `the password needs at least ${policy.minLength} characters (it has ${length})`,
    )
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new PasswordRejected('too_long', `the password may have at most ${MAX_PASSWORD_LENGTH} characters`)
  }
  const lower = normalized.toLowerCase()
  if (commonPasswords().has(lower)) {
    throw new PasswordRejected(
      'too_common',
      'this password is among the most common ones in breach lists; choose another',
    )
  }
  const name = username.toLowerCase()
  if ((name.length >= 3 && lower.includes(name)) || lower.includes('tessera')) {
    throw new PasswordRejected(
      'contains_username',
      'the password must not contain the username or the service name',
    )
  }
}
